// GET /contacts/export[?segment_id=]: every contact of the account (or of one segment, static or
// dynamic) as a streamed CSV download:
//   curl "<base>/contacts/export?segment_id=<id>" -H "Authorization: Bearer <key>" -o contacts.csv
// A failure before the download starts answers the REST error shape (rest/errors.ts).
import type { ServerResponse } from 'node:http';
import { exportContacts } from '../core/exports/service.js';
import { findSegment } from '../core/segments/service.js';
import { RestError } from './rest/errors.js';
import type { RawHandler } from './rest/route.js';

export function exportRoute(): RawHandler {
  return async ({ res, db, credentials: { accountId }, query }) => {
    const segmentId = query.segment_id;
    const segment = segmentId ? await findSegment(db, accountId, segmentId) : null;
    if (segmentId && !segment)
      throw RestError.one(404, 'NOT_FOUND', `there is no segment ${segmentId} in this account`, ['query', 'segment_id']);

    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="contacts.csv"',
      'cache-control': 'no-store',
    });
    try {
      await exportContacts(db, accountId, segment, async (chunk) => {
        if (res.destroyed) throw new Error('the client went away during the export');
        if (!res.write(chunk)) await drainedOrClosed(res);
      });
    } catch (error) {
      if (res.destroyed) return; // a client that hangs up mid-download is no failure of ours
      throw error;
    }
    res.end();
  };
}

/** Resolves when the response can take more, or the client has gone; leaves no listener behind. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

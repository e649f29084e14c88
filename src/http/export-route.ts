// GET /contacts/export[?segment_id=]: every contact of the account (or of one segment, static or
// dynamic) as a streamed CSV download:
//   curl "<base>/contacts/export?segment_id=<id>" -H "Authorization: Bearer <key>" -o contacts.csv
import type { ServerResponse } from 'node:http';
import type { Database } from '../db/database.js';
import { exportContacts } from '../core/exports/service.js';
import { findSegment } from '../core/segments/service.js';
import { requireAccount } from './auth.js';
import { type RouteHandler, sendJson } from './respond.js';

export function exportRoute(db: Database): RouteHandler {
  return async (req, res, url) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
    const accountId = await requireAccount(db, req, res);
    if (!accountId) return;
    const segmentId = url.searchParams.get('segment_id');
    const segment = segmentId ? await findSegment(db, accountId, segmentId) : null;
    if (segmentId && !segment) return sendJson(res, 404, { error: `no segment ${segmentId}`, code: 'NOT_FOUND' });

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

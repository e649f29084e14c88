import type { Database } from '../db/database.js';
import { type RouteHandler, sendJson } from './respond.js';

const READY_TIMEOUT_MS = 2000;

export function healthRoutes(db: Database): Record<string, RouteHandler> {
  return {
    // The process runs.
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    // The database answers, within a short time.
    '/readyz': async (_req, res) => {
      try {
        await withTimeout(db.ping(), READY_TIMEOUT_MS);
        sendJson(res, 200, { status: 'ready' });
      } catch (error) {
        sendJson(res, 503, {
          status: 'unavailable',
          reason: `the database does not answer: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

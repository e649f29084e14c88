// Tells a lost or refused database connection from other failures, so that clients get a clear
// "try again" (503) instead of a masked internal error while the database is away.

/** PostgreSQL SQLSTATEs and socket errors that mean the server is not there to answer. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  'P1001', 'P1002', 'P1017', // Prisma: cannot reach, timed out, server closed the connection
]);

const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const candidate = error as {
    code?: unknown;
    message?: unknown;
    kind?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
  if (candidate.kind === 'DatabaseNotReachable' || candidate.kind === 'ConnectionClosed') return true;
  if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
  const inner = [candidate.cause, candidate.originalError, candidate.meta?.driverAdapterError, ...(Array.isArray(candidate.errors) ? candidate.errors : [])];
  return inner.some((next) => isDatabaseUnavailable(next, depth + 1));
}

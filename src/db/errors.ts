// Reading database failures through the layers that wrap them (Prisma, the driver adapter, pg),
// to tell a database that is away (clients get a clear 503) and a transaction that lost a
// deadlock or serialization race (worth running again) or a unique index's refusal from every
// other failure.

/** SQLSTATEs, socket errors and Prisma codes that mean the server is not there to answer. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
  '57014', // query_canceled: past DATABASE_STATEMENT_TIMEOUT_MS
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  'P1001',
  'P1002',
  'P1017', // Prisma: cannot reach, timed out, server closed the connection
]);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed']);
// pg-pool's "timeout exceeded when trying to connect" (no connection within DATABASE_CONNECT_TIMEOUT_MS)
// and timeouts.ts's "no answer from the database" (a frozen server) among them.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|timeout exceeded when trying to connect|no answer from the database|statement timeout/i;

/** character_not_in_repertoire (a NUL in text: PostgreSQL's text cannot hold one), untranslatable_character. */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

/** unique_violation, and Prisma's name for it. */
const UNIQUE_CODES = new Set(['23505', 'P2002']);

/** deadlock_detected, serialization_failure, and Prisma's name for both. */
const CONFLICT_CODES = new Set(['40P01', '40001', 'P2034']);

interface Layered {
  code?: unknown;
  originalCode?: unknown;
  message?: unknown;
  kind?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/** The error and every error it wraps. */
function* layers(error: unknown, depth = 0): Generator<Layered> {
  if (!error || typeof error !== 'object' || depth > 6) return;
  const layer = error as Layered;
  yield layer;
  const inner = [
    layer.cause,
    layer.originalError,
    layer.meta?.driverAdapterError,
    ...(Array.isArray(layer.errors) ? (layer.errors as unknown[]) : []),
  ];
  for (const next of inner) yield* layers(next, depth + 1);
}

function hasCode(error: unknown, codes: Set<string>): boolean {
  for (const layer of layers(error)) {
    if (typeof layer.code === 'string' && codes.has(layer.code)) return true;
    if (typeof layer.originalCode === 'string' && codes.has(layer.originalCode)) return true;
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (hasCode(error, UNAVAILABLE_CODES)) return true;
  for (const layer of layers(error)) {
    if (typeof layer.kind === 'string' && UNAVAILABLE_KINDS.has(layer.kind)) return true;
    if (typeof layer.message === 'string' && UNAVAILABLE_MESSAGES.test(layer.message)) return true;
  }
  return false;
}

export function isUnstorableText(error: unknown): boolean {
  if (hasCode(error, UNSTORABLE_TEXT_CODES)) return true;
  // Prisma's known request error keeps the SQLSTATE only in its message.
  for (const layer of layers(error)) {
    if (typeof layer.message === 'string' && /Code: `(22021|22P05)`/.test(layer.message)) return true;
  }
  return false;
}

export function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, UNIQUE_CODES);
}

export function isTransientConflict(error: unknown): boolean {
  return hasCode(error, CONFLICT_CODES);
}

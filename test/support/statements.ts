/** The authentication's read of a key, not an import batch's FOR SHARE check of it. */
export const isKeyLookup = (sql: string) => /"api_keys"/.test(sql) && !/FOR SHARE/i.test(sql);

/**
 * The statements a request made, from all that db.onStatement told: without transaction control,
 * without the import leases' renewals and sweeps and the events' retention, which run on timers
 * of their own, and without the key lookup, which a client makes at most once a second
 * (src/core/accounts/verified-keys.ts), so whether a request made it is a matter of time, not of
 * what was asked.
 */
export function requestStatements(statements: readonly string[]): string[] {
  return statements.filter(
    (sql) => !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql.trim()) && !/lease_expires_at/.test(sql) && !isRetention(sql) && !isKeyLookup(sql),
  );
}

/** The events' retention (src/core/events/retention.ts), soon after start and then every 10 minutes. */
const isRetention = (sql: string) => /DELETE FROM events WHERE id IN/.test(sql);

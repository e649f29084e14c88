/**
 * The statements a request made, from all that db.onStatement told: without transaction control,
 * and without the import leases' renewals and sweeps, which run on timers of their own.
 */
export function requestStatements(statements: readonly string[]): string[] {
  return statements.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql.trim()) && !/lease_expires_at/.test(sql));
}

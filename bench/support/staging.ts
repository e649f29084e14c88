// The bench CSV's rows staged in PostgreSQL, for the floors of bench:import and its breakdown:
// the same staging table and the same contact made of each row, so that the two measure one
// statement's work.
import { spawnSync } from 'node:child_process';

/** The bench CSV's columns, as the staging table holds them. */
export const STAGED_COLUMNS = ['email', 'first_name', 'last_name', 'plan', 'company', 'city', 'score', 'signed_up'];

/** email, first_name, last_name and properties of the contact a staged row `s` makes, as the import would store them. */
export const STAGED_CONTACT = `lower(trim(s.email)), nullif(trim(s.first_name), ''), nullif(trim(s.last_name), ''),
           jsonb_strip_nulls(jsonb_build_object('plan', nullif(s.plan, ''), 'company', nullif(s.company, ''), 'city', nullif(s.city, ''),
                                                'score', nullif(s.score, ''), 'signed_up', nullif(s.signed_up, '')))`;

/** Runs a psql script (which may use \copy), failing on its first error. */
export function runPsql(url: string, script: string): void {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q'], { input: script, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

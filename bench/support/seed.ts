// Seeding a benchmark account with many contacts, set-based (a statement per 100,000 rows), and
// resumable: a seed cut short, or a smaller one, is topped up instead of redone.
import type pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createAccount, createKey } from '../../src/core/accounts/service.js';

export interface BenchAccount {
  accountId: string;
  apiKey: string;
}

/** The account called `name`, made when missing, with a fresh key (keys are only stored hashed). */
export async function benchAccount(databaseUrl: string, name: string): Promise<BenchAccount> {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    await migrate(db);
    const existing = await db.prisma.account.findFirst({ where: { name }, orderBy: { createdAt: 'asc' } });
    if (!existing) return await createAccount(db, name);
    const key = await createKey(db, existing.id);
    if (!key) throw new Error(`cannot make a key for account ${existing.id}`);
    return key;
  } finally {
    await db.close();
  }
}

const BATCH = 100_000;
const DOMAINS = ['example.com', 'mail.test', 'corp.example', 'inbox.test', 'post.example'];

/** The email of seeded contact n (1-based). */
export function seededEmail(n: number): string {
  return `user${n}@${DOMAINS[n % DOMAINS.length]}`;
}

/**
 * Gives the account `count` contacts: contact n is seededEmail(n), with one of 40
 * first and 60 last names, properties plan (free/pro/team), lifetime_value (0-4999), city (one
 * of 8), vip (1 in 100); 1 in 20 is unsubscribed; created 20 s after contact n-1.
 */
export async function seedContacts(
  pool: pg.Pool,
  accountId: string,
  count: number,
  log = (line: string) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const { rows } = await pool.query<{ count: string }>('SELECT contact_count AS count FROM accounts WHERE id = $1', [accountId]);
  const have = Number(rows[0]?.count ?? 0);
  if (have >= count) return;
  for (let from = have + 1; from <= count; from += BATCH) {
    const to = Math.min(count, from + BATCH - 1);
    const started = Date.now();
    await pool.query(SEED_SQL, [accountId, from, to, DOMAINS]);
    log(`seeded contacts ${from}-${to} of ${count} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await pool.query('VACUUM ANALYZE contacts');
}

const SEED_SQL = `
  INSERT INTO contacts (id, account_id, email, first_name, last_name, properties, unsubscribed, unsubscribed_at, created_at, updated_at)
  SELECT 'ct_' || substr(md5($1 || ':' || n), 1, 20), $1,
         'user' || n || '@' || ($4::text[])[1 + n % cardinality($4::text[])],
         (ARRAY['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Edsger',
                'Radia', 'Tim', 'Katherine', 'John', 'Hedy', 'Donald', 'Sophie', 'Niklaus', 'Karen', 'Bjarne',
                'Anita', 'Guido', 'Shafi', 'James', 'Mary', 'Vint', 'Adele', 'Leslie', 'Jean', 'Robert',
                'Carol', 'Brian', 'Lynn', 'Andrew', 'Irene', 'Peter', 'Joan', 'Paul', 'Evelyn', 'Charles'])[1 + n % 40],
         (ARRAY['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Allen', 'Dijkstra',
                'Perlman', 'Berners', 'Johnson', 'McCarthy', 'Lamarr', 'Knuth', 'Wilson', 'Wirth', 'Jones', 'Stroustrup',
                'Borg', 'Rossum', 'Goldwasser', 'Gosling', 'Keller', 'Cerf', 'Goldberg', 'Lamport', 'Bartik', 'Kahn',
                'Shaw', 'Kernighan', 'Conway', 'Tanenbaum', 'Greif', 'Naur', 'Clarke', 'Baran', 'Boyd', 'Babbage',
                'Moore', 'Hoare', 'Floyd', 'Backus', 'Minsky', 'Sutherland', 'Engelbart', 'Kay', 'Rivest', 'Shamir',
                'Adleman', 'Diffie', 'Hellman', 'Cook', 'Karp', 'Hartmanis', 'Stearns', 'Rabin', 'Scott', 'Milner'])[1 + (n / 40) % 60],
         jsonb_build_object(
           'plan', (ARRAY['free', 'pro', 'team'])[1 + n % 3],
           'lifetime_value', n % 5000,
           'city', (ARRAY['Berlin', 'Lisbon', 'Austin', 'Osaka', 'Lagos', 'Lima', 'Oslo', 'Pune'])[1 + n % 8],
           'vip', n % 100 = 0),
         n % 20 = 0, CASE WHEN n % 20 = 0 THEN t END, t, t
  FROM generate_series($2::int, $3::int) AS n,
       LATERAL (SELECT timestamptz '2025-01-01 00:00:00Z' + n * interval '20 seconds' AS t) AS at`;

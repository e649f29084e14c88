// `npm run bench:segments`: segments over the million-contact account on PostgreSQL, over HTTP,
// each request beside its SQL sent with plain pg (the floor). Prints the query plans first, so
// the note can say which index serves which query.
//
// Environment: BENCH_CONTACTS (default 1000000), BENCH_SECONDS per measurement (default 5),
// BENCH_ADMIN_DATABASE_URL (default: the tests' admin URL). Shares the seeded database
// contacts_bench with `npm run bench:contacts`; its own segments are removed afterwards.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { countSql, DEFAULT_CONTACT_ORDER, keysetPageSql } from '../src/core/contacts/repository/listing.js';
import type { Prisma } from '../src/db/generated/prisma/client.js';
import type { SegmentDefinition } from '../src/core/segments/definition.js';
import { segmentsOfContactsSql } from '../src/core/segments/repository/of-contacts.js';
import { type LoadResult, markdownTable, measure } from './support/load.js';
import { ensureDatabase, runSql } from './support/postgres.js';
import { benchAccount, seedContacts, seededEmail } from './support/seed.js';
import { graphqlClient, startServiceProcess } from './support/service.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PAGE_SIZE = 20;
const NAME = 'bench-segments:';
const FIELDS = 'id email firstName lastName properties unsubscribed createdAt updatedAt';
const DAY = 24 * 60 * 60 * 1000;

const log = (line: string) => process.stderr.write(`${line}\n`);

const databaseUrl = await ensureDatabase('contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
await seedContacts(pool, accountId, CONTACTS);
await pool.query('DELETE FROM segments WHERE account_id = $1 AND name LIKE $2', [accountId, `${NAME}%`]);
// Other benchmarks write to the same table; measure a vacuumed one, as autovacuum keeps it in use.
await pool.query('VACUUM ANALYZE contacts');
await pool.query('VACUUM ANALYZE segments');

// The seed's newest tenth, as "created in the last N days" whenever the benchmark runs.
const { rows: tenth } = await pool.query<{ created_at: Date }>(
  'SELECT created_at FROM contacts WHERE account_id = $1 ORDER BY created_at DESC OFFSET $2 LIMIT 1',
  [accountId, Math.floor(CONTACTS / 10)],
);
const recentDays = Math.floor((Date.now() - tenth[0]!.created_at.getTime()) / DAY);

type Rule = { field: string; operator: string; value?: string; values?: string[] };
const measured: { label: string; match: 'ALL' | 'ANY'; rules: Rule[] }[] = [
  { label: 'equality (plan = pro, 1 in 3)', match: 'ALL', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] },
  {
    label: 'numeric range (1000 <= lifetime_value < 2000, 1 in 5)',
    match: 'ALL',
    rules: [
      { field: 'properties.lifetime_value', operator: 'GREATER_THAN_OR_EQUAL', value: '1000' },
      { field: 'properties.lifetime_value', operator: 'LESS_THAN', value: '2000' },
    ],
  },
  {
    label: `date offset (created_at AFTER -${recentDays}d, 1 in 10)`,
    match: 'ALL',
    rules: [{ field: 'created_at', operator: 'AFTER', value: `-${recentDays}d` }],
  },
  {
    label: 'three rules, ANY (vip, city IN, lifetime_value > 4900)',
    match: 'ANY',
    rules: [
      { field: 'properties.vip', operator: 'EQUALS', value: 'true' },
      { field: 'properties.city', operator: 'IN', values: ['Oslo', 'Lima'] },
      { field: 'properties.lifetime_value', operator: 'GREATER_THAN', value: '4900' },
    ],
  },
];

/** 46 more of every kind, so that the account holds 50 dynamic segments for Contact.segments. */
const CITIES = ['Berlin', 'Lisbon', 'Austin', 'Osaka', 'Lagos', 'Lima', 'Oslo', 'Pune'];
const fillers = Array.from({ length: 46 }, (_, i): { label: string; match: 'ALL' | 'ANY'; rules: Rule[] } => {
  const kinds: Rule[][] = [
    [{ field: 'properties.city', operator: 'EQUALS', value: CITIES[i % 8]! }],
    [{ field: 'properties.lifetime_value', operator: 'GREATER_THAN', value: String(i * 100) }],
    [
      { field: 'email', operator: 'ENDS_WITH', value: '@mail.test' },
      { field: 'properties.plan', operator: 'NOT_EQUALS', value: 'free' },
    ],
    [
      { field: 'first_name', operator: 'STARTS_WITH', value: 'a' },
      { field: 'created_at', operator: 'BEFORE', value: `-${i + 1}m` },
    ],
    [
      { field: 'properties.plan', operator: 'IN', values: ['team', 'pro'] },
      { field: 'unsubscribed', operator: 'EQUALS', value: 'false' },
    ],
    [
      { field: 'last_name', operator: 'CONTAINS', value: 'son' },
      { field: 'properties.missing', operator: 'NOT_EXISTS' },
    ],
  ];
  return { label: `filler ${i}`, match: i % 4 ? 'ALL' : 'ANY', rules: kinds[i % kinds.length]! };
});

const service = await startServiceProcess({ DATABASE_URL: databaseUrl }, 4200);
const gql = graphqlClient(service.url, apiKey);
const results: LoadResult[] = [];
try {
  const created: (SegmentDefinition & { label: string })[] = [];
  for (const [i, segment] of [...measured, ...fillers].entries()) {
    const data = await gql<{ createSegment: { segment: { id: string }; userErrors: unknown[] } }>(
      'mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { segment { id } userErrors { field message } } }',
      { input: { name: `${NAME}${i}`, type: 'DYNAMIC', match: segment.match, rules: segment.rules } },
    );
    if (data.createSegment.userErrors.length) throw new Error(JSON.stringify(data.createSegment.userErrors));
    created.push({ id: data.createSegment.segment.id, type: 'DYNAMIC', ...segment });
  }
  const { rows: someone } = await pool.query<{ id: string }>('SELECT id FROM contacts WHERE account_id = $1 AND email = $2', [
    accountId,
    seededEmail(Math.ceil(CONTACTS / 3)),
  ]);
  const contactId = someone[0]!.id;

  const scenarios: { name: string; service: () => Promise<unknown>; floor: Prisma.Sql[] }[] = [];
  for (const segment of created.slice(0, measured.length)) {
    const filter = { accountId, segment };
    scenarios.push({
      name: `contactCount, ${segment.label}`,
      service: () => gql(`query ($id: ID!) { segment(id: $id) { contactCount } }`, { id: segment.id }),
      floor: [countSql(filter)],
    });
    scenarios.push({
      name: `first page of contacts, ${segment.label}`,
      service: () =>
        gql(
          `query ($id: ID!) { segment(id: $id) { contacts(first: ${PAGE_SIZE}) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } } }`,
          { id: segment.id },
        ),
      floor: [keysetPageSql(filter, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1 })],
    });
  }
  scenarios.push({
    name: 'Contact.segments, 50 dynamic segments in the account',
    service: () =>
      gql(`query ($id: ID!) { contact(id: $id) { segments(first: 100) { edges { node { id name } } totalCount } } }`, { id: contactId }),
    floor: segmentsOfContactsSql(accountId, [contactId], created),
  });

  log('\nquery plans (EXPLAIN ANALYZE):');
  for (const scenario of scenarios) {
    for (const sql of scenario.floor) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql.text}`, sql.values);
      log(`-- ${scenario.name}\n${plan.rows.map((row) => `   ${row['QUERY PLAN']}`).join('\n')}`);
    }
  }

  log(
    `\nmeasuring: ${cpus().length} cores, load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  for (const scenario of scenarios) {
    const options = { seconds: SECONDS, maxRequests: 200 };
    results.push(await measure(`${scenario.name}: service`, scenario.service, options));
    results.push(await measure(`${scenario.name}: pg floor`, () => Promise.all(scenario.floor.map((sql) => runSql(pool, sql))), options));
    log(`  ${scenario.name} done`);
  }
} finally {
  await service.stop();
  await pool.query('DELETE FROM segments WHERE account_id = $1 AND name LIKE $2', [accountId, `${NAME}%`]);
  await pool.end();
}

const load = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
process.stdout.write(
  `\n${CONTACTS.toLocaleString('en')} contacts, PostgreSQL, ${SECONDS} s per measurement; load average after: ${load}\n\n${markdownTable(results)}\n`,
);

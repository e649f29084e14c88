// `npm run bench:contacts`: the contact surface at a million contacts on PostgreSQL, over HTTP,
// each request beside the same SQL sent with plain pg (the floor: what the database alone costs).
//
// Environment: BENCH_CONTACTS (default 1000000), BENCH_SECONDS per measurement (default 5),
// BENCH_ADMIN_DATABASE_URL (default: the tests' admin URL); the seed lives in the database
// contacts_bench and is reused by later runs.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import {
  type ContactFilter,
  contactPosition,
  countSql,
  DEFAULT_CONTACT_ORDER,
  keysetPageSql,
  offsetPageSql,
} from '../src/core/contacts/repository/listing.js';
import { CONTACT_COLUMNS, type ContactRow, toContact } from '../src/core/contacts/repository/rows.js';
import { Prisma } from '../src/db/generated/prisma/client.js';
import { newId } from '../src/core/ids.js';
import { encodeCursor } from '../src/graphql/connection.js';
import { type LoadResult, markdownTable, measure } from './support/load.js';
import { ensureDatabase, runSql } from './support/postgres.js';
import { benchAccount, seedContacts, seededEmail } from './support/seed.js';
import { graphqlClient, startServiceProcess } from './support/service.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PAGE_SIZE = 20;
const DEEP_PAGE = 1000;
const SELECTIVE_TERM = 'user4242'; // user4242, user4242x, user4242xx: 111 contacts of a million
const RUN = Date.now().toString(36);
const FIELDS = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt';

const log = (line: string) => process.stderr.write(`${line}\n`);

const databaseUrl = await ensureDatabase('contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
await seedContacts(pool, accountId, CONTACTS);

const all: ContactFilter = { accountId };
const selective: ContactFilter = { accountId, search: SELECTIVE_TERM };
const deepOffset = (DEEP_PAGE - 1) * PAGE_SIZE;
const [deepRow] = await runSql<ContactRow>(pool, offsetPageSql(all, DEFAULT_CONTACT_ORDER, deepOffset - 1, 1));
const deepPosition = contactPosition(DEFAULT_CONTACT_ORDER, toContact(deepRow!));
const someone = seededEmail(Math.ceil(CONTACTS / 3));

const queries = {
  firstPage: [keysetPageSql(all, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1 }), countSql(all)],
  deepPage: [keysetPageSql(all, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1, after: deepPosition }), countSql(all)],
  offsetPage: [offsetPageSql(all, DEFAULT_CONTACT_ORDER, deepOffset, PAGE_SIZE), countSql(all)],
  search: [keysetPageSql(selective, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1 }), countSql(selective)],
  byEmail: [Prisma.sql`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.email = ${someone}`],
};

log('\nquery plans (EXPLAIN ANALYZE):');
for (const [name, statements] of Object.entries(queries)) {
  for (const sql of statements) {
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql.text}`, sql.values);
    log(`-- ${name}\n${plan.rows.map((row) => `   ${row['QUERY PLAN']}`).join('\n')}`);
  }
}

const service = await startServiceProcess({ DATABASE_URL: databaseUrl });
const gql = graphqlClient(service.url, apiKey);
const floor = (statements: Prisma.Sql[]) => () => Promise.all(statements.map((sql) => runSql(pool, sql)));

let serial = 0; // makes every created email unique within the run
const newContact = (n = serial++) => ({ email: `bench-${RUN}-${n}@example.com`, firstName: 'Bench', properties: { plan: 'pro', n } });
/** 500 new contacts and 500 seeded ones (spread over the table). */
const upsertItems = (n = serial++) =>
  Array.from({ length: 1000 }, (_, i) =>
    i % 2 ? { email: seededEmail(1 + ((n * 7919 + i * 104729) % CONTACTS)), properties: { touched: n } } : newContact(),
  );

const scenarios: {
  name: string;
  service: () => Promise<unknown>;
  floor: () => Promise<unknown>;
  concurrency: number[];
  maxRequests?: number;
}[] = [
  {
    name: `contacts(first: ${PAGE_SIZE}) + totalCount`,
    service: () =>
      gql(`{ contacts(first: ${PAGE_SIZE}) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } totalCount } }`),
    floor: floor(queries.firstPage),
    concurrency: [1, 4],
  },
  {
    name: `page ${DEEP_PAGE} by cursor + totalCount`,
    service: () =>
      gql(`query ($after: String) { contacts(first: ${PAGE_SIZE}, after: $after) { edges { cursor node { ${FIELDS} } } totalCount } }`, {
        after: encodeCursor(deepPosition),
      }),
    floor: floor(queries.deepPage),
    concurrency: [1, 4],
  },
  {
    name: `contactsPage(page: ${DEEP_PAGE})`,
    service: () =>
      gql(`{ contactsPage(page: ${DEEP_PAGE}, perPage: ${PAGE_SIZE}) { contacts { ${FIELDS} } pagination { total totalPages } } }`),
    floor: floor(queries.offsetPage),
    concurrency: [1, 4],
  },
  {
    name: `search "${SELECTIVE_TERM}" + totalCount`,
    service: () => gql(`{ contacts(first: ${PAGE_SIZE}, search: "${SELECTIVE_TERM}") { edges { node { ${FIELDS} } } totalCount } }`),
    floor: floor(queries.search),
    concurrency: [1, 4],
  },
  {
    name: 'contact(email)',
    service: () => gql(`query ($email: String) { contact(email: $email) { ${FIELDS} } }`, { email: someone }),
    floor: floor(queries.byEmail),
    concurrency: [1, 4],
  },
  {
    name: 'createContact',
    service: () =>
      gql(`mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { code } } }`, {
        input: newContact(),
      }),
    floor: () => {
      const contact = newContact();
      return pool.query('INSERT INTO contacts (id, account_id, email, first_name, properties) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
        newId('contact'),
        accountId,
        contact.email,
        contact.firstName,
        contact.properties,
      ]);
    },
    concurrency: [1, 4],
  },
  {
    name: 'upsertContacts of 1000 (500 new)',
    service: () =>
      gql(`mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { created updated } }`, {
        input: { contacts: upsertItems() },
      }),
    // The floor: one INSERT … ON CONFLICT of the same rows (it cannot tell given from omitted fields).
    floor: () => {
      const items = upsertItems();
      return pool.query(
        `INSERT INTO contacts AS c (id, account_id, email, properties)
         SELECT i.id, $1, i.email, i.properties::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS i(id, email, properties)
         ON CONFLICT (account_id, email) DO UPDATE SET properties = c.properties || excluded.properties, updated_at = now()`,
        [
          accountId,
          items.map(() => newId('contact')),
          items.map((item) => item.email),
          items.map((item) => JSON.stringify(item.properties)),
        ],
      );
    },
    concurrency: [1],
    maxRequests: 40,
  },
];

const results: LoadResult[] = [];
log(
  `\nmeasuring: ${cpus().length} cores, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
try {
  for (const scenario of scenarios) {
    for (const concurrency of scenario.concurrency) {
      const options = { concurrency, seconds: SECONDS, maxRequests: scenario.maxRequests };
      results.push(await measure(`${scenario.name}: service`, scenario.service, options));
      results.push(await measure(`${scenario.name}: pg floor`, scenario.floor, options));
      log(`  ${scenario.name} × ${concurrency} done`);
    }
  }
} finally {
  await service.stop();
  // What the run created goes again, so the next run measures the same million.
  await pool.query(`DELETE FROM contacts WHERE account_id = $1 AND email LIKE 'bench-%'`, [accountId]);
  await pool.end();
}

const load = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
process.stdout.write(
  `\n${CONTACTS.toLocaleString('en')} contacts, PostgreSQL, ${SECONDS} s per measurement; load average after: ${load}\n\n${markdownTable(results)}\n`,
);

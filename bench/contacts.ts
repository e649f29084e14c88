// `npm run bench:contacts`: the contact surface at a million contacts on PostgreSQL, over HTTP,
// each request beside the same SQL sent with plain pg (the floor: what the database alone costs).
// The REST routes that have a GraphQL twin are measured beside it: GET /contacts?page=… beside
// contactsPage, GET /contacts/:id beside contact(id:), POST /contacts beside createContact.
// Every answer is checked (an error, or a page that is not the expected one, stops the run).
//
// Environment: BENCH_CONTACTS (default 1000000), BENCH_SECONDS per measurement (default 5),
// BENCH_ADMIN_DATABASE_URL (default: the tests' admin URL), BENCH_DATABASE (default
// contacts_bench); the seed lives in that database and is reused (topped up) by later runs, so a
// small trial run needs a database of its own. Below 20,000 contacts the deep page is the last
// full one rather than page 1000.
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
import { graphqlClient, restClient, startServiceProcess } from './support/service.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PAGE_SIZE = 20;
const DEEP_PAGE = Math.min(1000, Math.floor(CONTACTS / PAGE_SIZE));
const SELECTIVE_TERM = 'user4242'; // user4242, user4242x, user4242xx: 111 contacts of a million
const RUN = Date.now().toString(36);
const FIELDS = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt';

const log = (line: string) => process.stderr.write(`${line}\n`);

const databaseUrl = await ensureDatabase(process.env.BENCH_DATABASE ?? 'contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
await seedContacts(pool, accountId, CONTACTS);

const all: ContactFilter = { accountId };
const selective: ContactFilter = { accountId, search: SELECTIVE_TERM };
const deepOffset = (DEEP_PAGE - 1) * PAGE_SIZE;
const [deepRow] = await runSql<ContactRow>(pool, offsetPageSql(all, DEFAULT_CONTACT_ORDER, deepOffset - 1, 1));
const deepPosition = contactPosition(DEFAULT_CONTACT_ORDER, toContact(deepRow!));
const someone = seededEmail(Math.ceil(CONTACTS / 3));
const [someoneRow] = await runSql<{ id: string }>(
  pool,
  Prisma.sql`SELECT id FROM contacts WHERE account_id = ${accountId} AND email = ${someone}`,
);
const someoneId = someoneRow!.id;
/** The first contact of each numbered page, and the total every page must report. */
const firstIdAt = async (offset: number) => (await runSql<ContactRow>(pool, offsetPageSql(all, DEFAULT_CONTACT_ORDER, offset, 1)))[0]!.id;
const expectedPages = { 1: await firstIdAt(0), [DEEP_PAGE]: await firstIdAt(deepOffset) };
const expectedTotal = Number((await runSql<{ count: string | number }>(pool, countSql(all)))[0]!.count);

const queries = {
  firstPage: [keysetPageSql(all, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1 }), countSql(all)],
  deepPage: [keysetPageSql(all, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1, after: deepPosition }), countSql(all)],
  firstOffsetPage: [offsetPageSql(all, DEFAULT_CONTACT_ORDER, 0, PAGE_SIZE), countSql(all)],
  offsetPage: [offsetPageSql(all, DEFAULT_CONTACT_ORDER, deepOffset, PAGE_SIZE), countSql(all)],
  search: [keysetPageSql(selective, DEFAULT_CONTACT_ORDER, { limit: PAGE_SIZE + 1 }), countSql(selective)],
  byEmail: [Prisma.sql`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.email = ${someone}`],
  byId: [Prisma.sql`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ${someoneId}`],
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
const rest = restClient(service.url, apiKey);
const floor = (statements: Prisma.Sql[]) => () => Promise.all(statements.map((sql) => runSql(pool, sql)));

let serial = 0; // makes every created email unique within the run
const newContact = (n = serial++) => ({ email: `bench-${RUN}-${n}@example.com`, firstName: 'Bench', properties: { plan: 'pro', n } });
/** 500 new contacts and 500 seeded ones (spread over the table). */
const upsertItems = (n = serial++) =>
  Array.from({ length: 1000 }, (_, i) =>
    i % 2 ? { email: seededEmail(1 + ((n * 7919 + i * 104729) % CONTACTS)), properties: { touched: n } } : newContact(),
  );

/** Stops the run on an answer that is not the one expected. */
function check(condition: boolean, what: string, answer: unknown): void {
  if (!condition) throw new Error(`unexpected answer to ${what}: ${JSON.stringify(answer).slice(0, 500)}`);
}
interface PageAnswer {
  contacts: { id: string }[];
  total: number;
}
/** A numbered page must hold PAGE_SIZE contacts starting with the expected one, and the true total. */
function checkPage(page: number, what: string, answer: PageAnswer, raw: unknown): void {
  check(
    answer.contacts.length === PAGE_SIZE && answer.contacts[0]?.id === expectedPages[page] && answer.total === expectedTotal,
    what,
    raw,
  );
}
const graphqlPage = (page: number) => async () => {
  const what = `contactsPage(page: ${page})`;
  const data = await gql<{ contactsPage: { contacts: { id: string }[]; pagination: { total: number } } }>(
    `{ contactsPage(page: ${page}, perPage: ${PAGE_SIZE}) { contacts { ${FIELDS} } pagination { total totalPages } } }`,
  );
  checkPage(page, what, { contacts: data.contactsPage.contacts, total: data.contactsPage.pagination.total }, data);
};
const restPage = (page: number) => async () => {
  const path = `/contacts?page=${page}&per_page=${PAGE_SIZE}`;
  const body = await rest<{ contacts: { id: string }[]; pagination: { total: number } }>('GET', path, 200);
  checkPage(page, `GET ${path}`, { contacts: body.contacts, total: body.pagination.total }, body);
};
/** The floor of a creation: one INSERT of the same row. */
const insertFloor = () => {
  const contact = newContact();
  return pool.query('INSERT INTO contacts (id, account_id, email, first_name, properties) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
    newId('contact'),
    accountId,
    contact.email,
    contact.firstName,
    contact.properties,
  ]);
};
/** A creation must answer the new contact's id (and no user error). */
const created = (what: string, id: unknown, answer: unknown) => check(typeof id === 'string' && id.startsWith('ct_'), what, answer);

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
    name: `contactsPage(page: 1)`,
    service: graphqlPage(1),
    floor: floor(queries.firstOffsetPage),
    concurrency: [1, 4],
  },
  {
    name: `REST GET /contacts?page=1&per_page=${PAGE_SIZE}`,
    service: restPage(1),
    floor: floor(queries.firstOffsetPage),
    concurrency: [1, 4],
  },
  {
    name: `contactsPage(page: ${DEEP_PAGE})`,
    service: graphqlPage(DEEP_PAGE),
    floor: floor(queries.offsetPage),
    concurrency: [1, 4],
  },
  {
    name: `REST GET /contacts?page=${DEEP_PAGE}&per_page=${PAGE_SIZE}`,
    service: restPage(DEEP_PAGE),
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
    name: 'contact(id:)',
    service: async () => {
      const data = await gql<{ contact: { id: string } | null }>(`query ($id: ID) { contact(id: $id) { ${FIELDS} } }`, { id: someoneId });
      check(data.contact?.id === someoneId, 'contact(id:)', data);
    },
    floor: floor(queries.byId),
    concurrency: [1, 4],
  },
  {
    name: 'REST GET /contacts/:id',
    service: async () => {
      const body = await rest<{ id: string }>('GET', `/contacts/${someoneId}`, 200);
      check(body.id === someoneId, 'GET /contacts/:id', body);
    },
    floor: floor(queries.byId),
    concurrency: [1, 4],
  },
  {
    name: 'createContact',
    service: async () => {
      const data = await gql<{ createContact: { contact: { id: string } | null; userErrors: unknown[] } }>(
        `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { ${FIELDS} } userErrors { code } } }`,
        { input: newContact() },
      );
      created('createContact', data.createContact.userErrors.length === 0 && data.createContact.contact?.id, data);
    },
    floor: insertFloor,
    concurrency: [1, 4],
  },
  {
    name: 'REST POST /contacts',
    service: async () => {
      const { email, firstName, properties } = newContact();
      const body = await rest<{ id: string }>('POST', '/contacts', 201, { email, first_name: firstName, properties });
      created('POST /contacts', body.id, body);
    },
    floor: insertFloor,
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

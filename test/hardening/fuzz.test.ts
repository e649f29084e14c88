// Property-based tests (issue 6, Fuzzing): whatever GraphQL input or CSV bytes arrive, the service
// never answers 500, never shows "Unexpected error.", a stack trace or SQL text, and never stores
// a contact that breaks SEMANTICS.md (normalised valid email, trimmed names, valid properties).
//
// Runs are seeded (FUZZ_SEED, default below) so that a failure reproduces; fast-check prints the
// seed, path and counterexample when a property fails. FUZZ_RUNS scales the number of runs.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { importContactsGraphql } from '../support/graphql-upload.js';
import { type GraphqlResponse, type TestAccount, useService } from '../support/service.js';
import { uploadCsv } from '../support/upload.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (count: number) => Math.max(1, Math.round(count * RUNS));
const options = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns) });

// ---------------------------------------------------------------------------------------------
// What must never reach a client, and what a stored contact must be.

const LEAKS: [string, RegExp][] = [
  ['a stack trace', /\n\s+at\s|\bat\s\S+\s\(?\S+\.(ts|js|mjs):\d+/],
  ['a source path', /node_modules|\/src\/|\.ts:\d+/],
  ['SQL text', /\b(select|insert|update|delete)\b[\s\S]{0,200}\b(from|into|set|where)\b|\bon conflict\b|\$\d+::/i],
  [
    'a database error',
    /syntax error at or near|violates .* constraint|invalid input syntax|duplicate key value|invalid byte sequence|out of range for type|relation "[^"]*" does not exist|column "[^"]*" (of relation|does not exist)|\bSQLSTATE\b/i,
  ],
  ['a database error code', /\bERROR:\s|\bP\d{4}\b|\b[0-9A-Z]{2}\d{3}\b(?=.*sql)/],
  ['an ORM error', /prisma|\$queryRaw|\$executeRaw|PrismaClient/i],
];

/** Every message a client is shown in this JSON: GraphQL errors, userErrors, rowErrors, REST errors, failure reasons. */
function messagesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) messagesIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      expect(['stacktrace', 'stack', 'exception'], `a "${key}" field was sent to the client`).not.toContain(key);
      if (['message', 'error', 'failureReason'].includes(key) && typeof item === 'string') found.push(item);
      else messagesIn(item, found);
    }
  }
  return found;
}

/** The client-facing checks every answer must pass. */
function expectSafeAnswer(status: number, body: unknown): void {
  expect(status, JSON.stringify(body)).toBeLessThan(500);
  for (const message of messagesIn(body)) {
    expect(message).not.toBe('Unexpected error.');
    expect(message.trim().length, 'an empty message').toBeGreaterThan(0);
    for (const [what, pattern] of LEAKS) expect(pattern.test(message), `${what} in "${message}"`).toBe(false);
  }
}

function expectSafe(response: GraphqlResponse): void {
  const { status, ...body } = response;
  expectSafeAnswer(status, body);
}

const PROPERTY_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const chars = (text: string) => [...text].length;

/** What SEMANTICS.md says about a stored contact, as a list of breaches (empty: none). */
function contactBreaches(contact: {
  email: string;
  firstName: string | null;
  lastName: string | null;
  properties: unknown;
  unsubscribed: boolean;
  unsubscribedAt: Date | null;
}): string[] {
  const breaches: string[] = [];
  const { email } = contact;
  if (email !== email.trim().toLowerCase()) breaches.push('email not trimmed and lower-cased');
  if (chars(email) > 254) breaches.push('email over 254 characters');
  const at = email.lastIndexOf('@');
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];

  if (
    at < 1 ||
    // eslint-disable-next-line no-control-regex -- control characters are what the reference refuses
    /[\s\u0000-\u001f\u007f"(),:;<>[\\\]@]/.test(local) ||
    !/^[^\s@.]+(\.[^\s@.]+)+$/.test(domain) ||
    chars(local) > 64 ||
    /^\.|\.\.|\.$/.test(local)
  ) {
    breaches.push('email not a valid address');
  }
  for (const name of [contact.firstName, contact.lastName]) {
    if (name === null) continue;
    if (name === '' || name !== name.trim()) breaches.push(`name ${JSON.stringify(name)} not trimmed, or empty instead of null`);
    if (chars(name) > 200) breaches.push('name over 200 characters');
  }
  const properties = contact.properties;
  if (!properties || typeof properties !== 'object' || Array.isArray(properties)) breaches.push('properties not an object');
  else {
    const entries = Object.entries(properties);
    if (entries.length > 100) breaches.push('more than 100 properties');
    for (const [key, value] of entries) {
      if (!PROPERTY_KEY.test(key)) breaches.push(`property key ${JSON.stringify(key)}`);
      const ok =
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && chars(value) <= 2000);
      if (!ok) breaches.push(`property ${key} = ${JSON.stringify(value)?.slice(0, 80)}`);
    }
  }
  if (contact.unsubscribed !== (contact.unsubscribedAt !== null)) breaches.push('unsubscribed and unsubscribedAt disagree');
  return breaches.map((breach) => `${contact.email}: ${breach}`);
}

// ---------------------------------------------------------------------------------------------
// Inputs.

const ODD = [
  '%',
  '_',
  '\\',
  "'",
  '"',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\n',
  '\r\n',
  '\t',
  '\u2028',
  '\ufeff',
  '\u200b',
  '\u00a0',
  'é',
  'ß',
  'İ',
  'ﬀ',
  'Σ',
  '😀',
  '\ud800',
  '\udfff',
  ' ',
  '@',
  '.',
  ',',
  ';',
  '$1',
  '{',
  '}',
  '[',
  ']',
  '*',
  '?',
  '(',
  ')',
  '|',
  '^',
  '+',
  '-',
  '--',
  '/*',
  "' OR 1=1 --",
  '${x}',
  '<b>',
  'null',
  'true',
  '1e400',
  'NaN',
  '-0',
  'ct_',
  'seg_',
  '::text',
  'now',
  'infinity',
  'epoch',
];
const oddText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ODD) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));
const longText = (around: number) => fc.integer({ min: around - 3, max: around + 3 }).map((length) => 'x'.repeat(length));

const email = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((address) => `  ${address.toUpperCase()}\t`),
  fc.tuple(oddText, oddText).map(([local, domain]) => `${local}@${domain}.com`),
  fc.tuple(fc.constantFrom('a', 'A', ' b'), oddText).map(([local, odd]) => `${local}${odd}@example.com`),
  oddText,
  fc.integer({ min: 250, max: 258 }).map((length) => `${'a'.repeat(60)}@${'b'.repeat(length - 60 - 1 - 4)}.com`),
  fc.constantFrom(
    '',
    ' ',
    '@',
    'a@b',
    'a@b.c',
    'a..b@example.com',
    '.a@example.com',
    'a@-example.com',
    'Ünï@exämple.com',
    'a@example.com\u0000',
  ),
);
const name = fc.oneof(oddText, fc.constantFrom('', '   ', '\t\n'), longText(200), fc.constant(null));
const propertyKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/),
  oddText,
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'toString',
    'a.b',
    'a b',
    'k'.repeat(64),
    'k'.repeat(65),
    '1abc',
    'ключ',
    '-a',
    'a\u0000',
  ),
);
const propertyValue = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.1, -1e-300, '9'.repeat(400), '2026-02-30', '99999-01-01', '1e5', '  42  '),
  longText(2000),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxKeys: 2 }),
);
const properties = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(propertyKey, propertyValue, { maxKeys: 6 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 98, max: 103 }).map((count) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, i]))),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, [], 'text', 42) },
);
const contactInput = fc.record(
  { email, firstName: name, lastName: name, properties, unsubscribed: fc.oneof(fc.boolean(), fc.constant(null)) },
  { requiredKeys: ['email'] },
);

const id = fc.oneof(
  oddText,
  fc.constantFrom('ct_', 'seg_', 'imp_', 'acc_', 'key_'),
  fc
    .tuple(fc.constantFrom('ct', 'seg', 'imp', 'acc', 'xx', 'CT'), fc.stringMatching(/^[a-z0-9]{18,22}$/))
    .map(([prefix, body]) => `${prefix}_${body}`),
  fc.tuple(fc.constantFrom('ct', 'seg', 'imp'), oddText).map(([prefix, body]) => `${prefix}_${body}`),
);
const base64url = (text: string) => Buffer.from(text).toString('base64url');
const cursor = fc.oneof(
  oddText,
  fc.tuple(oddText, oddText).map((position) => base64url(JSON.stringify(position))),
  fc
    .tuple(fc.constantFrom('2026-01-01T00:00:00.000Z', 'now', '', 'infinity', '2026-13-45', '1e400', 'a@b.com'), oddText)
    .map((position) => base64url(JSON.stringify(position))),
  fc.jsonValue().map((value) => base64url(JSON.stringify(value))),
  fc.string({ unit: 'binary', maxLength: 40 }).map(base64url),
);

const RULE_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'firstName',
  'unsubscribed',
  'created_at',
  'updatedAt',
  'properties.plan',
  'properties.n',
  'properties.d',
];
const OPERATORS = [
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'IN',
  'NOT_IN',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'BEFORE',
  'AFTER',
  'EXISTS',
  'NOT_EXISTS',
];
const ruleValue = fc.oneof(
  oddText,
  fc.constantFrom(
    '1000',
    '-1.5',
    '1e400',
    'NaN',
    'Infinity',
    '9'.repeat(400),
    '0x10',
    '2026-01-01',
    '2026-01-01T10:00:00Z',
    '-30d',
    '-4w',
    '-6m',
    '-1y',
    '-99999y',
    '+1d',
    '-1.5d',
    '',
    'now',
    'true',
  ),
  fc.double().map(String),
);
const rule = fc.record(
  {
    field: fc.oneof(
      fc.constantFrom(...RULE_FIELDS),
      propertyKey.map((key) => `properties.${key}`),
      oddText,
    ),
    operator: fc.constantFrom(...OPERATORS),
    value: fc.oneof(ruleValue, fc.constant(null)),
    values: fc.oneof(fc.array(ruleValue, { maxLength: 4 }), fc.constant(null)),
  },
  { requiredKeys: ['field', 'operator'] },
);
const segmentInput = fc.record(
  {
    name: oddText,
    type: fc.constantFrom('STATIC', 'DYNAMIC'),
    match: fc.constantFrom('ALL', 'ANY', undefined),
    rules: fc.oneof(fc.array(rule, { maxLength: 4 }), fc.constant(undefined)),
  },
  { requiredKeys: ['name', 'type'] },
);

// CSV files: random headers and cells, quoting (sometimes broken), delimiters, line ends, BOM, and
// encodings (UTF-8, Latin-1, invalid UTF-8 bytes), or plain random bytes.
const HEADERS = [
  'email',
  'Email Address',
  'E-mail',
  ' EMAIL ',
  'first_name',
  'First Name',
  'firstname',
  'last_name',
  'unsubscribed',
  'id',
  'created_at',
  'plan',
  'Lifetime Value',
  'n',
];
const cell = fc.oneof(
  fc.emailAddress(),
  oddText,
  fc.constantFrom('', 'true', 'false', 'yes', 'no', '1', '0', 'maybe', '"', '""', 'a,b', 'a;b', 'a\tb', 'line\nbreak', 'x\r\ny'),
  longText(2000),
  longText(200),
);
const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
const csvText = fc
  .record({
    delimiter: fc.constantFrom(',', ';', '\t'),
    eol: fc.constantFrom('\n', '\r\n'),
    header: fc.array(fc.oneof(fc.constantFrom(...HEADERS), oddText), { minLength: 1, maxLength: 6 }),
    rows: fc.array(fc.array(fc.tuple(cell, fc.constantFrom('plain', 'quoted', 'broken')), { maxLength: 7 }), { maxLength: 12 }),
    finalEol: fc.boolean(),
  })
  .map(({ delimiter, eol, header, rows, finalEol }) => {
    const write = ([text, quoting]: [string, string]) => {
      if (quoting === 'broken') return `"${text}`;
      return quoting === 'quoted' || /[",;\t\r\n]/.test(text) ? quoted(text) : text;
    };
    const lines = [header.map((name) => write([name, 'plain'])).join(delimiter), ...rows.map((row) => row.map(write).join(delimiter))];
    return lines.join(eol) + (finalEol ? eol : '');
  });
const csvBytes = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(csvText, fc.boolean(), fc.constantFrom('utf8', 'latin1', 'utf16le') as fc.Arbitrary<BufferEncoding>)
      .map(([text, bom, encoding]) =>
        Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, encoding)]),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        csvText,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00])), {
          minLength: 1,
          maxLength: 4,
        }),
      )
      .map(([text, damage]) => {
        const bytes = [...Buffer.from(text)];
        for (const [at, bad] of damage) bytes.splice(at % (bytes.length + 1), 0, ...bad);
        return Buffer.from(bytes);
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.concat([Buffer.from('email,name\n'), bytes])) },
);

// ---------------------------------------------------------------------------------------------

const CONTACT_FIELDS = 'id email firstName lastName properties unsubscribed unsubscribedAt';
const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { ${CONTACT_FIELDS} } userErrors { field code message } } }`;
const UPDATE = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { contact { ${CONTACT_FIELDS} } userErrors { field code message } } }`;
const UPSERT = `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { created updated contacts { id } userErrors { field code message } } }`;
const READS = `query ($search: String, $cursor: String, $id: ID!, $ids: [ID!]!, $email: String, $order: ContactOrderField!, $direction: OrderDirection!) {
  a: contacts(first: 5, search: $search, orderBy: { field: $order, direction: $direction }) { totalCount edges { cursor node { id email } } }
  b: contacts(first: 3, after: $cursor, orderBy: { field: $order, direction: $direction }) { totalCount edges { node { id } } }
  c: contacts(last: 3, before: $cursor, search: $search) { totalCount edges { node { id } } }
  d: node(id: $id) { id }
  e: nodes(ids: $ids) { id }
  f: contact(email: $email) { id }
  g: contact(id: $id) { id }
  h: segment(id: $id) { id }
  i: importJob(id: $id) { id }
  j: contactsPage(search: $search, segmentId: $id, perPage: 5) { pagination { total totalPages } contacts { id } }
  k: segments(first: 5, search: $search, after: $cursor) { totalCount edges { node { id } } }
  l: importJobs(first: 2, after: $cursor) { totalCount }
  m: contactsCsv(segmentId: $id)
  n: contacts(first: 2, segmentId: $id, subscribed: true) { totalCount }
}`;

describe.each(DATABASE_KINDS)('fuzzing on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;

  beforeAll(async () => {
    account = await service().account('Fuzz');
    // Values that are hard to compare as numbers or instants, for the segment rules to meet.
    const seeded = await account.gql(UPSERT, {
      contacts: [
        { email: 'n1@example.com', properties: { n: '9'.repeat(400), d: '2026-02-30', plan: 'Pro' } },
        { email: 'n2@example.com', properties: { n: '1e400', d: 'infinity', plan: 42 } },
        { email: 'n3@example.com', properties: { n: 'NaN', d: 'now', plan: true } },
        { email: 'n4@example.com', properties: { n: ' 12 ', d: '99999-01-01T00:00:00Z' }, firstName: 'Ünï', lastName: '%_\\' },
        { email: 'n5@example.com', properties: { n: -0.5, d: '-30d' }, unsubscribed: true },
      ],
    });
    expect(seeded.data.upsertContacts.userErrors).toEqual([]);
  });

  /** Every stored contact of the account obeys SEMANTICS.md. */
  async function expectStoredContactsValid(): Promise<void> {
    const contacts = await service().service.db.prisma.contact.findMany({ where: { accountId: account.accountId } });
    expect(contacts.flatMap(contactBreaches)).toEqual([]);
    expect(new Set(contacts.map((contact) => contact.email)).size).toBe(contacts.length);
  }

  // Inputs the properties below found once, kept as plain examples so that each is always tried.
  describe('inputs that fuzzing found', () => {
    const create = (input: Record<string, unknown>) => ({
      query: CREATE,
      variables: { input: { email: `${Math.random().toString(36).slice(2)}@example.com`, ...input } },
    });
    it.each([
      ['a NUL in firstName', create({ firstName: 'a\u0000b' })],
      ['a NUL in a property value', create({ properties: { note: 'a\u0000b' } })],
      ['a lone surrogate in firstName', create({ firstName: 'a\udfffb' })],
      ['a lone surrogate in a property value', create({ properties: { note: '\ud800' } })],
      ['the property key __proto__', create({ properties: JSON.parse('{"__proto__": 1, "plan": "pro"}') as Record<string, unknown> })],
      [
        'a NUL in lastName, in upsertContacts',
        { query: UPSERT, variables: { contacts: [{ email: 'nul-upsert@example.com', lastName: '\u0000' }] } },
      ],
      [
        'a NUL in a segment name',
        {
          query:
            'mutation ($name: String!) { createSegment(input: { name: $name, type: STATIC }) { segment { id name } userErrors { code message } } }',
          variables: { name: 'VIP\u0000' },
        },
      ],
      [
        'a NUL in a search',
        {
          query:
            'query ($search: String) { contacts(search: $search) { totalCount } contactsPage(search: $search) { pagination { total } } segments(search: $search) { totalCount } }',
          variables: { search: 'a\u0000' },
        },
      ],
    ])('%s: a safe answer, and stored as given or refused', async (_name, { query, variables }) => {
      const answer = await account.gql(query, variables);
      expectSafe(answer);
      const contact = answer.data?.createContact?.contact;
      const input = (variables as { input?: Record<string, unknown> }).input;
      if (contact && input) {
        for (const field of ['firstName', 'properties'] as const) if (field in input) expect(contact[field]).toEqual(input[field]);
      }
      const segment = answer.data?.createSegment?.segment;
      if (segment) expect(segment.name).toBe((variables as { name: string }).name);
      await expectStoredContactsValid();
    });
  });

  it('contact mutations: safe answers, and what is stored is what SEMANTICS.md allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        contactInput,
        fc.record({ firstName: name, properties }, { requiredKeys: [] }),
        fc.array(contactInput, { maxLength: 5 }),
        async (input, patch, batch) => {
          const created = await account.gql(CREATE, { input });
          expectSafe(created);
          const contact = created.data?.createContact?.contact;
          if (contact) {
            // Stored as given, normalised: email trimmed and lower-cased, names trimmed (empty: null).
            expect(contact.email).toBe(input.email.trim().toLowerCase());
            for (const field of ['firstName', 'lastName'] as const) {
              if (input[field] !== undefined) expect(contact[field]).toBe(input[field]?.trim() || null);
            }
            if (input.properties && typeof input.properties === 'object')
              expect(contact.properties).toEqual(JSON.parse(JSON.stringify(input.properties)));
            const updated = await account.gql(UPDATE, { input: { id: contact.id, ...patch } });
            expectSafe(updated);
          } else if (!created.errors) {
            expect(created.data.createContact.userErrors.length).toBeGreaterThan(0);
          }
          const upserted = await account.gql(UPSERT, { contacts: batch });
          expectSafe(upserted);
          if (upserted.data?.upsertContacts) {
            const { created: made, updated, userErrors } = upserted.data.upsertContacts;
            expect(made + updated + new Set(userErrors.map((error: { field: string[] }) => error.field?.[2])).size).toBe(batch.length);
          }
          await expectStoredContactsValid();
        },
      ),
      options(40),
    );
  });

  it('reads (search, cursors, IDs, emails, orders) never fail unsafely', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          search: fc.oneof(oddText, fc.constant(null)),
          cursor: cursor,
          id,
          ids: fc.array(id, { maxLength: 5 }),
          email: fc.oneof(email, fc.constant(null)),
          order: fc.constantFrom('CREATED_AT', 'UPDATED_AT', 'EMAIL'),
          direction: fc.constantFrom('ASC', 'DESC'),
        }),
        async (variables) => {
          const answer = await account.gql(READS, variables);
          expectSafe(answer);
          // A page of contacts found by a search, paged on by its own cursor, still answers.
          const endCursor = answer.data?.a?.edges?.at(-1)?.cursor;
          if (endCursor) expectSafe(await account.gql(READS, { ...variables, cursor: endCursor }));
        },
      ),
      options(50),
    );
  });

  it('segment rules: creating, updating and evaluating them never fails unsafely', async () => {
    const SEGMENT = `mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { segment { id rules { field operator value values } } userErrors { field code message } } }`;
    const UPDATE_SEGMENT = `mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { id } userErrors { field code message } } }`;
    const EVALUATE = `query ($id: ID!) {
      segment(id: $id) { contactCount contacts(first: 5) { totalCount edges { node { id } } } }
      contacts(first: 5, segmentId: $id) { totalCount edges { node { email segments(first: 10) { totalCount } } } }
      contactsCsv(segmentId: $id)
    }`;
    await fc.assert(
      fc.asyncProperty(segmentInput, fc.array(rule, { maxLength: 3 }), async (input, rules) => {
        const created = await account.gql(SEGMENT, { input });
        expectSafe(created);
        const segment = created.data?.createSegment?.segment;
        if (!segment) return;
        for (const stored of segment.rules)
          expect(
            RULE_FIELDS.filter((field) => !/[A-Z]/.test(field))
              .concat('properties.')
              .some((field) => stored.field.startsWith(field)),
          ).toBe(true);
        expectSafe(await account.gql(EVALUATE, { id: segment.id }));
        expectSafe(await account.gql(UPDATE_SEGMENT, { input: { id: segment.id, rules } }));
        expectSafe(await account.gql(EVALUATE, { id: segment.id }));
        const exported = await fetch(`${service().url}/contacts/export?segment_id=${encodeURIComponent(segment.id)}`, {
          headers: { authorization: `Bearer ${account.apiKey}` },
        });
        expect(exported.status).toBe(200);
        await exported.text();
      }),
      options(40),
    );
  });

  it('raw HTTP: odd bodies, content types, paths and keys never answer 500 or leak', async () => {
    const printable = fc.stringMatching(/^[\x21-\x7e ]{0,60}$/);
    // Any text percent-encoded byte by byte, or broken escapes.
    const urlPart = fc.oneof(
      oddText.map((text) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
      fc.constantFrom('%ff', '%', '%zz', '%00', '%c3', '%ed%a0%80', 'seg_%00'),
    );
    const request = fc.record({
      path: fc.oneof(
        fc.constantFrom('/graphql', '/contacts/import', '/contacts/export', '/healthz', '/readyz', '/'),
        urlPart.map((text) => `/graphql?query=${text}`),
        urlPart.map((text) => `/contacts/export?segment_id=${text}`),
        urlPart.map((text) => `/contacts/import?segment_id=${text}`),
        urlPart.map((text) => `/${text}`),
      ),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
      type: fc.constantFrom(
        'application/json',
        'application/graphql',
        'text/plain',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
        'text/csv',
        undefined,
      ),
      key: fc.oneof({ weight: 4, arbitrary: fc.constant('own') }, { weight: 1, arbitrary: printable }),
      body: fc.oneof(
        oddText,
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc
          .record({
            query: fc.oneof(oddText, fc.constantFrom('{ __typename }', '{ contacts { totalCount } }', 'mutation { x }', '{')),
            variables: fc.jsonValue(),
          })
          .map((value) => JSON.stringify(value)),
        fc
          .array(fc.record({ query: fc.constantFrom('{ __typename }', '{ contacts { totalCount } }', '{') }), { maxLength: 12 })
          .map((value) => JSON.stringify(value)),
        fc
          .tuple(printable, oddText)
          .map(([head, tail]) => `--x\r\nContent-Disposition: form-data; name="${head}"; filename="a.csv"\r\n\r\n${tail}\r\n--x--\r\n`),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ path, method, type, key, body }) => {
        const headers: Record<string, string> = { authorization: key === 'own' ? `Bearer ${account.apiKey}` : key };
        if (type) headers['content-type'] = type;
        const response = await fetch(`${service().url}${path}`, {
          method,
          headers,
          body: method === 'GET' || method === 'OPTIONS' ? undefined : body,
        });
        const text = await response.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (json !== undefined && (response.headers.get('content-type') ?? '').includes('json')) expectSafeAnswer(response.status, json);
        else expect(response.status, text.slice(0, 300)).toBeLessThan(500);
      }),
      options(60),
    );
  });

  it('CSV bytes: imports answer safely and store only valid contacts', async () => {
    const JOB =
      'query ($id: ID!) { importJob(id: $id) { status rowsProcessed imported updated errors failureReason rowErrors(first: 1000) { line email message } } }';
    await fc.assert(
      fc.asyncProperty(csvBytes, fc.boolean(), async (bytes, viaGraphql) => {
        const file = new Uint8Array(bytes);
        let jobId: string | undefined;
        if (viaGraphql) {
          const answer = await importContactsGraphql(service().url, account.apiKey, file);
          expectSafe(answer);
          jobId = answer.data?.importContacts?.job?.id;
        } else {
          const answer = await uploadCsv(service().url, account.apiKey, file);
          expectSafeAnswer(answer.status, answer.body);
          jobId = answer.body.job_id;
        }
        if (jobId) {
          const job = await account.gql(JOB, { id: jobId });
          expectSafe(job);
          const { status, rowsProcessed, imported, updated, errors } = job.data.importJob;
          expect(status).not.toBe('PROCESSING');
          if (status === 'COMPLETED') expect(imported + updated + errors).toBeLessThanOrEqual(rowsProcessed);
        }
        await expectStoredContactsValid();
      }),
      options(60),
    );
  });
});

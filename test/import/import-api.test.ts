// The two ways in (importContacts over GraphQL multipart, POST /contacts/import), the job a
// client can watch, segments, batches, and the limits.
import { connect } from 'node:net';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { KEPT_ROW_ERRORS } from '../../src/core/imports/repository/jobs.js';
import { BATCH_ROWS } from '../../src/core/imports/import-file.js';
import { IMPORTS_APPLICATION_NAME } from '../../src/db/postgres.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, type TestService, useService } from '../support/service.js';
import { contactsOf, fixture, jobOf, postCsv } from './helpers.js';

const IMPORT = `mutation ($file: Upload!, $segmentId: ID) {
  importContacts(input: { file: $file, segmentId: $segmentId }) {
    job { id status imported updated errors rowsProcessed failureReason rowErrors { line email message } }
    userErrors { field message code }
  } }`;

/** importContacts as a GraphQL multipart request (the spec graphql-upload implements). */
async function importByGraphql(service: TestService, account: TestAccount, file: string | Buffer, segmentId?: string) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: IMPORT, variables: { file: null, segmentId } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([typeof file === 'string' ? file : new Uint8Array(file)], { type: 'text/csv' }), 'people.csv');
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe.each(DATABASE_KINDS)('importing over HTTP on %s', (kind) => {
  const service = useService(kind);

  it('importContacts (GraphQL multipart) runs the same import as POST /contacts/import', async () => {
    const account = await service().account();
    const response = await importByGraphql(service(), account, fixture('messy.csv'));
    expect(response.status).toBe(200);
    const payload = response.body.data.importContacts;
    expect(payload.userErrors).toEqual([]);
    expect(payload.job).toMatchObject({ status: 'COMPLETED', imported: 3, updated: 0, errors: 2, rowsProcessed: 6 });
    expect(payload.job.rowErrors.map((error: { line: number }) => error.line)).toEqual([4, 7]);
    const again = await postCsv(service(), account.apiKey, fixture('messy.csv'));
    expect(again.body).toMatchObject({ imported: 0, updated: 3, errors: 2 });
  });

  it('a file importContacts cannot read answers a null job and an INVALID user error; the FAILED job stays listed', async () => {
    const account = await service().account();
    const payload = (await importByGraphql(service(), account, 'name\nAnn\n')).body.data.importContacts;
    expect(payload.userErrors).toEqual([
      { field: ['input', 'file'], code: 'INVALID', message: expect.stringContaining('no email column') },
    ]);
    expect(payload.job).toBeNull();
    const listed = await account.gql('{ importJobs(first: 10) { edges { node { id status imported failureReason } } } }');
    const jobs = listed.data.importJobs.edges.map((edge: { node: unknown }) => edge.node);
    expect(jobs).toEqual([
      { id: expect.any(String), status: 'FAILED', imported: 0, failureReason: expect.stringContaining('no email column') },
    ]);
    const one = await account.gql('query ($id: ID!) { importJob(id: $id) { status failureReason } }', { id: jobs[0].id });
    expect(one.data.importJob).toEqual({ status: 'FAILED', failureReason: jobs[0].failureReason });
  });

  it('POST /contacts/import names the FAILED job of a file it cannot read', async () => {
    const account = await service().account();
    const answer = await postCsv(service(), account.apiKey, 'name\nAnn\n');
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      errors: [{ code: 'INVALID', field: ['file'], message: expect.stringContaining('no email column') }],
      job_id: expect.stringMatching(/^imp_/),
    });
    const job = await account.gql('query ($id: ID!) { importJob(id: $id) { status } }', { id: answer.body.job_id });
    expect(job.data.importJob).toEqual({ status: 'FAILED' });
  });

  it('401 without a valid key on POST /contacts/import, and nothing is imported', async () => {
    const account = await service().account();
    expect((await postCsv(service(), 'sk_live_nope', fixture('basic.csv'))).status).toBe(401);
    const response = await fetch(`${service().url}/contacts/import`, { method: 'POST', body: new FormData() });
    expect(response.status).toBe(401);
    expect(await contactsOf(service(), account.accountId)).toEqual({});
  });

  it('answers 400 for a form without a "file" field and 415 for a body that is no form', async () => {
    const account = await service().account();
    const form = new FormData();
    form.append('upload', new Blob(['email\n']), 'x.csv');
    const noFile = await fetch(`${service().url}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}` },
      body: form,
    });
    expect(noFile.status).toBe(400);
    const raw = await fetch(`${service().url}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'text/csv' },
      body: 'email\n',
    });
    expect(raw.status).toBe(415);
  });

  it('segmentId adds every imported or updated contact to that static segment; a dynamic or unknown one is refused', async () => {
    const account = await service().account();
    const prisma = service().service.db.prisma;
    await postCsv(service(), account.apiKey, 'email\nold@example.com\n');
    const segment = await prisma.segment.create({
      data: { id: 'seg_importstatic00000001'.slice(0, 24), accountId: account.accountId, name: 'Imported', type: 'STATIC' },
    });
    const dynamic = await prisma.segment.create({
      data: { id: 'seg_importdynamic0000001'.slice(0, 24), accountId: account.accountId, name: 'Rules', type: 'DYNAMIC' },
    });

    const answer = await postCsv(service(), account.apiKey, 'email\nold@example.com\nnew@example.com\nbad\n', `?segment_id=${segment.id}`);
    expect(answer.body).toMatchObject({ imported: 1, updated: 1, errors: 1 });
    const members = await prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, include: { contact: true } });
    expect(members.map((member) => member.contact.email).sort()).toEqual(['new@example.com', 'old@example.com']);

    expect(await postCsv(service(), account.apiKey, 'email\nx@example.com\n', `?segment_id=${dynamic.id}`)).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'NOT_ALLOWED', field: ['query', 'segment_id'] }] },
    });
    expect(await postCsv(service(), account.apiKey, 'email\nx@example.com\n', '?segment_id=seg_00000000000000000000')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND', field: ['query', 'segment_id'] }] },
    });
    const other = await service().account('other');
    const viaGraphql = (await importByGraphql(service(), other, 'email\nx@example.com\n', segment.id)).body.data.importContacts;
    expect(viaGraphql).toEqual({
      job: null,
      userErrors: [{ field: ['input', 'segmentId'], code: 'NOT_FOUND', message: expect.any(String) }],
    });
    expect(await contactsOf(service(), other.accountId)).toEqual({});
  });

  it('counts an email once across batches, keeps the first 1000 row errors, and lists jobs newest first', async () => {
    const account = await service().account();
    const rows = ['email,n'];
    for (let index = 0; index < BATCH_ROWS + 10; index++) rows.push(`p${index}@example.com,${index}`);
    rows.push('p0@example.com,again'); // in the second batch: the contact the first batch created
    for (let index = 0; index < KEPT_ROW_ERRORS + 5; index++) rows.push(`bad${index},x`);
    const answer = await postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    expect(answer.body).toMatchObject({ imported: BATCH_ROWS + 10, updated: 0, errors: KEPT_ROW_ERRORS + 5 });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({ rowsProcessed: BATCH_ROWS + 11 + KEPT_ROW_ERRORS + 5 });
    expect(job.rowErrors).toHaveLength(KEPT_ROW_ERRORS);
    expect(job.rowErrors[0]).toMatchObject({ line: BATCH_ROWS + 13, email: 'bad0' });
    expect((await contactsOf(service(), account.accountId))['p0@example.com']?.properties).toEqual({ n: 'again' });

    const second = await postCsv(service(), account.apiKey, 'email\np1@example.com\n');
    const list = await account.gql('{ importJobs(first: 2) { totalCount edges { node { id updated } } pageInfo { hasNextPage } } }');
    expect(list.data.importJobs).toEqual({
      totalCount: 2,
      edges: [{ node: { id: second.body.job_id, updated: 1 } }, { node: { id: answer.body.job_id, updated: 0 } }],
      pageInfo: { hasNextPage: false },
    });
    const other = await service().account('other');
    expect((await other.gql('query ($id: ID!) { importJob(id: $id) { id } }', { id: second.body.job_id })).data).toEqual({
      importJob: null,
    });
  });
});

describe.each(DATABASE_KINDS)('the upload limit on %s', (kind) => {
  const service = useService(kind, { maxUploadBytes: 4096 });

  it('a file over MAX_UPLOAD_BYTES fails with 413 and nothing of the excess is processed, with one message on both surfaces', async () => {
    const account = await service().account();
    const rows = ['email,n'];
    for (let index = 0; rows.join('\n').length < 10_000; index++) rows.push(`big${index}@example.com,${index}`);
    const answer = await postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      errors: [{ code: 'PAYLOAD_TOO_LARGE', field: ['file'], message: expect.stringContaining('4096 bytes') }],
      imported: 0,
    });
    expect((await jobOf(account, answer.body.job_id)).status).toBe('FAILED');
    expect(await contactsOf(service(), account.accountId)).toEqual({});

    const viaGraphql = (await importByGraphql(service(), account, `${rows.join('\n')}\n`)).body.data.importContacts;
    expect(viaGraphql.userErrors).toEqual([
      { field: ['input', 'file'], code: 'LIMIT_EXCEEDED', message: expect.stringContaining('MAX_UPLOAD_BYTES') },
    ]);
    // One reader, one limit check, one message (src/http/multipart.ts).
    expect(viaGraphql.userErrors[0].message).toBe((answer.body.errors as { message: string }[])[0]!.message);
    expect(await contactsOf(service(), account.accountId)).toEqual({});
    // A file under the limit still imports.
    expect((await postCsv(service(), account.apiKey, 'email\nsmall@example.com\n')).body.imported).toBe(1);
  });

  it('holds JSON bodies to their own limit', async () => {
    const account = await service().account();
    const response = await fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(service().config.maxJsonBodyBytes) } }),
    });
    expect(response.status).toBe(413);
  });
});

describe.each(DATABASE_KINDS)('wide rows on %s', (kind) => {
  const service = useService(kind, { maxUploadBytes: 12 * 1024 * 1024 });

  it('commit in batches bounded by their text, not only by their rows', async () => {
    const account = await service().account();
    // 100 properties of 2000 characters: 200 KB a row, 80 rows, past the upload limit.
    const keys = Array.from({ length: 100 }, (_, index) => `p${index}`);
    const cells = keys.map(() => 'x'.repeat(2000)).join(',');
    const rows = [`email,${keys.join(',')}`];
    for (let index = 1; index <= 80; index++) rows.push(`wide${index}@example.com,${cells}`);
    const answer = await postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    expect(answer.status).toBe(413);
    // With batches of BATCH_ROWS rows nothing would have been written before the limit cut the file.
    const job = await jobOf(account, answer.body.job_id);
    expect(job.failureReason).toMatch(/rows up to line \d+ were imported/);
    expect(job.imported).toBeGreaterThan(0);
    expect(job.imported).toBeLessThan(80);
    expect(Object.keys(await contactsOf(service(), account.accountId))).toHaveLength(job.imported);
  });
});

/**
 * Inserts contacts of these emails in a transaction of another client, left open: an import's
 * batch that writes one of them waits for it. Answers the rollback.
 */
async function holdInserts(service: TestService, accountId: string, emails: string[]): Promise<() => Promise<void>> {
  const { database } = service.config;
  if (database.kind !== 'postgres') throw new Error('holdInserts needs PostgreSQL');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`INSERT INTO contacts (id, account_id, email) SELECT 'ct_held_' || e, $1, e FROM unnest($2::text[]) AS e`, [
    accountId,
    emails,
  ]);
  return async () => {
    await client.query('ROLLBACK');
    await client.end();
  };
}

/** The imports' connections now waiting for a lock. */
async function importsWaitingForLocks(service: TestService): Promise<number> {
  const [row] = await service.service.db.prisma.$queryRaw<[{ waiting: bigint }]>`
    SELECT count(*) AS waiting FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${IMPORTS_APPLICATION_NAME} AND wait_event_type = 'Lock'`;
  return Number(row.waiting);
}

/** Batches one at a time (PGlite; PostgreSQL's default IMPORT_POOL_SIZE of 1), and three at once. */
const WRITERS = [
  { name: 'pglite', kind: 'pglite', pools: {} },
  { name: 'postgres', kind: 'postgres', pools: {} },
  { name: 'postgres with three import connections', kind: 'postgres', pools: { importPoolSize: 3 } },
] as const;

describe.each(WRITERS)('an import that meets repeats and failures across batches on $name', ({ kind, pools }) => {
  const service = useService(kind, {}, pools);

  it('stores, counts and tells in events exactly what the file says, however many batches commit at once', async () => {
    const account = await service().account();
    const { prisma } = service().service.db;
    const segment = await prisma.segment.create({
      data: { id: 'seg_sidebyside0000000001', accountId: account.accountId, name: 'Imported', type: 'STATIC' },
    });
    const rows = ['email,first_name,last_name,plan'];
    for (let index = 0; index < 2 * BATCH_ROWS + 500; index++) rows.push(`s${index}@example.com,F${index},,${['free', 'pro'][index % 2]}`);
    // One email in each of the three batches, the first line of the file after the header.
    rows.splice(1, 0, 'repeat@example.com,First,,free');
    rows.splice(BATCH_ROWS + 1, 0, 'repeat@example.com,Second,,');
    rows.splice(2 * BATCH_ROWS + 1, 0, 'repeat@example.com,,Third,gold');
    rows.splice(BATCH_ROWS + 100, 0, 'not-an-email,,,');
    rows.splice(2 * BATCH_ROWS + 100, 0, 'also not,,,');
    const file = `${rows.join('\n')}\n`;
    const contacts = 2 * BATCH_ROWS + 501;

    const answer = await postCsv(service(), account.apiKey, file, `?segment_id=${segment.id}`);
    expect(answer.body).toMatchObject({ imported: contacts, updated: 0, errors: 2 });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({ status: 'COMPLETED', rowsProcessed: rows.length - 1, imported: contacts, errors: 2 });
    expect(job.rowErrors.map((error: { line: number }) => error.line)).toEqual(
      [BATCH_ROWS + 100, 2 * BATCH_ROWS + 100].map((index) => index + 1),
    );

    const stored = await contactsOf(service(), account.accountId);
    expect(Object.keys(stored)).toHaveLength(contacts);
    expect(stored['repeat@example.com']).toMatchObject({ firstName: 'Second', lastName: 'Third', properties: { plan: 'gold' } });
    expect(stored['s1@example.com']).toMatchObject({ firstName: 'F1', properties: { plan: 'pro' } });
    const counted = async () => ({
      account: (await prisma.account.findUniqueOrThrow({ where: { id: account.accountId } })).contactCount,
      keys: await prisma.contactPropertyKey.findMany({ where: { accountId: account.accountId }, select: { key: true, contacts: true } }),
      members: await prisma.segmentMembership.count({ where: { segmentId: segment.id } }),
    });
    expect(await counted()).toEqual({ account: BigInt(contacts), keys: [{ key: 'plan', contacts: BigInt(contacts) }], members: contacts });

    const events = await prisma.event.findMany({ where: { accountId: account.accountId }, orderBy: { seq: 'asc' } });
    const repeat = events.filter((event) => (event.data as { email?: string }).email === 'repeat@example.com');
    expect(repeat.map((event) => [event.type, (event.data as { first_name: string }).first_name])).toEqual([
      ['contact.created', 'First'],
      ['contact.updated', 'Second'],
      ['contact.updated', 'Second'],
    ]);
    expect(events.filter((event) => event.type === 'contact.created')).toHaveLength(contacts);
    const added = events.filter((event) => event.type === 'segment.contacts_added');
    expect(new Set(added.flatMap((event) => (event.data as { contact_ids: string[] }).contact_ids)).size).toBe(contacts);

    const again = await postCsv(service(), account.apiKey, file, `?segment_id=${segment.id}`);
    expect(again.body).toMatchObject({ imported: 0, updated: contacts, errors: 2 });
    expect(await contactsOf(service(), account.accountId)).toEqual(stored);
    expect(await counted()).toEqual({ account: BigInt(contacts), keys: [{ key: 'plan', contacts: BigInt(contacts) }], members: contacts });
  });

  it.runIf(kind === 'postgres')('commits as many batches side by side as the imports have connections', async () => {
    const account = await service().account();
    const rows = ['email'];
    for (let index = 0; index < 3 * BATCH_ROWS; index++) rows.push(`w${index}@example.com`);
    // Another writer's uncommitted contact in each batch: every batch in flight waits for it.
    const release = await holdInserts(
      service(),
      account.accountId,
      [0, BATCH_ROWS, 2 * BATCH_ROWS].map((index) => `w${index}@example.com`),
    );
    const answer = postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    const connections = 'importPoolSize' in pools ? pools.importPoolSize : 1;
    await vi.waitFor(async () => expect(await importsWaitingForLocks(service())).toBe(connections), { timeout: 30_000, interval: 50 });
    await release();
    expect((await answer).body).toMatchObject({ imported: 3 * BATCH_ROWS, updated: 0, errors: 0 });
    const stored = await service().service.db.prisma.account.findUniqueOrThrow({ where: { id: account.accountId } });
    expect(stored.contactCount).toBe(BigInt(3 * BATCH_ROWS));
  });

  it.runIf(kind === 'postgres')('holds a batch back while one in flight has any of its emails, so that the later row wins', async () => {
    const account = await service().account();
    const known = ['email,first_name', 'repeat@example.com,Seed'];
    for (let index = 0; index < BATCH_ROWS - 1; index++) known.push(`k${index}@example.com,Seed`);
    await postCsv(service(), account.apiKey, `${known.join('\n')}\n`);
    const rows = ['email,first_name', 'repeat@example.com,First'];
    for (let index = 0; index < BATCH_ROWS - 1; index++) rows.push(`n${index}@example.com,New`); // the rest of batch 1: new
    rows.push('repeat@example.com,Second'); // batch 2: known emails only, free to commit but for the repeat
    for (let index = 0; index < BATCH_ROWS - 1; index++) rows.push(`k${index}@example.com,Again`);
    const release = await holdInserts(service(), account.accountId, ['n0@example.com']); // batch 1 waits for it
    const answer = postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    await vi.waitFor(async () => expect(await importsWaitingForLocks(service())).toBe(1), { timeout: 30_000, interval: 50 });
    // Long enough for batch 2, were it let through, to commit (5,000 updates take about 0.2 s here).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [job] = await service().service.db.prisma.importJob.findMany({ where: { accountId: account.accountId, status: 'PROCESSING' } });
    expect(job?.rowsProcessed).toBe(0);
    await release();
    expect((await answer).body).toMatchObject({ imported: BATCH_ROWS - 1, updated: BATCH_ROWS, errors: 0 });
    expect((await contactsOf(service(), account.accountId))['repeat@example.com']?.firstName).toBe('Second');
  });

  it('a contact already there counts once, as updated, when its email is on rows of several batches', async () => {
    const account = await service().account();
    await postCsv(service(), account.apiKey, 'email,plan\nknown@example.com,free\n');
    const rows = ['email,plan,seats', 'known@example.com,pro,'];
    for (let index = 0; index < BATCH_ROWS + 5; index++) rows.push(`q${index}@example.com,free,1`);
    rows.push('known@example.com,,7'); // in the second batch
    const answer = await postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    expect(answer.body).toMatchObject({ imported: BATCH_ROWS + 5, updated: 1, errors: 0 });
    expect((await contactsOf(service(), account.accountId))['known@example.com']?.properties).toEqual({ plan: 'pro', seats: '7' });
  });

  it('a re-import whose later batch mixes known and new emails (written known-first) counts and stores each as it is', async () => {
    const account = await service().account();
    const first = ['email,plan'];
    for (let index = 0; index < BATCH_ROWS + 10; index++) first.push(`r${index}@example.com,free`);
    await postCsv(service(), account.apiKey, `${first.join('\n')}\n`);
    const again = ['email,plan'];
    for (let index = 0; index < BATCH_ROWS; index++) again.push(`r${index}@example.com,pro`); // batch 1: every email known
    for (let index = BATCH_ROWS; index < BATCH_ROWS + 10; index++) again.push(`r${index}@example.com,team`);
    for (let index = 0; index < 10; index++) again.push(`n${index}@example.com,new`);
    again.push('r0@example.com,last'); // counted in batch 1 already
    const answer = await postCsv(service(), account.apiKey, `${again.join('\n')}\n`);
    expect(answer.body).toMatchObject({ imported: 10, updated: BATCH_ROWS + 10, errors: 0 });
    const stored = await contactsOf(service(), account.accountId);
    expect(Object.keys(stored)).toHaveLength(BATCH_ROWS + 20);
    expect(stored['r0@example.com']?.properties).toEqual({ plan: 'last' });
    expect(stored[`r${BATCH_ROWS + 9}@example.com`]?.properties).toEqual({ plan: 'team' });
    expect(stored['n9@example.com']?.properties).toEqual({ plan: 'new' });
  });

  it('a file found malformed while a batch commits says how far the import got, and exactly that much is stored', async () => {
    const account = await service().account();
    const rows = ['email,notes'];
    // A full batch, then more rows than the reader takes in one chunk (64 KiB from Node 22 on:
    // fast-csv drops every row of a chunk that holds a malformed one), then a malformed quote.
    for (let index = 0; index < BATCH_ROWS + 3000; index++) rows.push(`m${index}@example.com,${'fine '.repeat(8)}`);
    rows.push('broken@example.com,"broken"x', 'after@example.com,never');
    const answer = await postCsv(service(), account.apiKey, `${rows.join('\n')}\n`);
    expect(answer).toMatchObject({ status: 422, body: { errors: [{ code: 'INVALID', field: ['file'] }], imported: BATCH_ROWS } });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({
      status: 'FAILED',
      imported: BATCH_ROWS,
      failureReason: expect.stringContaining(`(rows up to line ${BATCH_ROWS + 1} were imported)`),
    });
    expect(Object.keys(await contactsOf(service(), account.accountId))).toHaveLength(BATCH_ROWS);
  });

  it('a client that goes away mid-upload leaves a FAILED job that says how far it got, and its committed rows', async () => {
    const account = await service().account();
    const { hostname, port } = new URL(service().url);
    const boundary = 'cut-off-upload';
    const rows = ['email'];
    for (let index = 0; index < BATCH_ROWS + 100; index++) rows.push(`cut${index}@example.com`);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    socket.write(
      `POST /contacts/import HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${account.apiKey}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n${rows.join('\n')}\n`,
    );
    const jobs = () => service().service.db.prisma.importJob.findMany({ where: { accountId: account.accountId } });
    await vi.waitFor(async () => expect((await jobs())[0]?.imported).toBe(BATCH_ROWS), { timeout: 30_000, interval: 50 });
    socket.destroy(); // the rest of the file never comes

    await vi.waitFor(async () => expect((await jobs())[0]?.status).toBe('FAILED'), { timeout: 30_000, interval: 50 });
    const [job] = await jobs();
    expect(job!.failureReason).toMatch(/^the upload ended before the file did .*\(rows up to line 5001 were imported\)$/);
    expect(Object.keys(await contactsOf(service(), account.accountId))).toHaveLength(BATCH_ROWS);
    expect((await postCsv(service(), account.apiKey, 'email\nnext@example.com\n')).body).toMatchObject({ imported: 1 });
  });
});

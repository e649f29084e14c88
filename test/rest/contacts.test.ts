// REST.md, Contacts: the seed's calls with their exact bodies, every status of the error table
// with nothing stored changed, agreement with GraphQL, and isolation between accounts.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { CONTACT_FIELDS } from '../contacts/helpers.js';
import { expectNothingChanged, ISO, rest, restOf } from './helpers.js';

describe.each(DATABASE_KINDS)('REST contacts on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let call: ReturnType<typeof restOf>;
  beforeAll(async () => {
    account = await service().account();
    call = restOf(service(), account);
  });

  it('answers the seed calls with the shapes of REST.md', async () => {
    const created = await call('POST', '/contacts', {
      body: { email: ' Alice@Example.com ', first_name: 'Alice', last_name: 'Smith', properties: { plan: 'pro' }, unsubscribed: false },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(created.body).toEqual({
      id: expect.stringMatching(/^ct_[a-z0-9]{20}$/),
      email: 'alice@example.com',
      first_name: 'Alice',
      last_name: 'Smith',
      properties: { plan: 'pro' },
      unsubscribed: false,
      unsubscribed_at: null,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const id = created.body.id as string;

    const page = await call('GET', '/contacts?page=1');
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ contacts: [created.body], pagination: { total: 1, page: 1, per_page: 20, total_pages: 1 } });

    expect((await call('GET', `/contacts/${id}`)).body).toEqual(created.body);
    expect((await call('GET', '/contacts/ALICE%40example.com')).body).toEqual(created.body);

    const patched = await call('PATCH', `/contacts/${id}`, { body: { properties: { plan: 'enterprise', seats: 5 }, last_name: null } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, first_name: 'Alice', last_name: null, properties: { plan: 'enterprise', seats: 5 } });
    const removed = await call('PATCH', '/contacts/alice@example.com', { body: { properties: { seats: null } } });
    expect(removed.body.properties).toEqual({ plan: 'enterprise' });

    const unsubscribed = await call('POST', `/contacts/${id}/unsubscribe`);
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.body).toEqual({ id, email: 'alice@example.com', unsubscribed: true, unsubscribed_at: expect.stringMatching(ISO) });
    const again = await call('POST', `/contacts/${id}/unsubscribe`);
    expect(again.body.unsubscribed_at).toBe(unsubscribed.body.unsubscribed_at);
    const resubscribed = await call('POST', `/contacts/${id}/resubscribe`);
    expect(resubscribed.body).toEqual({ id, email: 'alice@example.com', unsubscribed: false, unsubscribed_at: null });

    expect((await call('GET', `/contacts/${id}/segments`)).body).toEqual({ segments: [] });

    const deleted = await call('DELETE', `/contacts/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id, deleted: true });
    expect((await call('GET', `/contacts/${id}`)).status).toBe(404);
  });

  it('pages newest first, with filters, and a page past the end is empty with the true total', async () => {
    const other = await service().account();
    const own = restOf(service(), other);
    for (const email of ['p1@example.com', 'p2@example.com', 'p3@example.com']) {
      expect((await own('POST', '/contacts', { body: { email, unsubscribed: email === 'p2@example.com' } })).status).toBe(201);
    }
    const first = await own('GET', '/contacts?page=1&per_page=2');
    expect(first.body.contacts.map((c: any) => c.email)).toEqual(['p3@example.com', 'p2@example.com']);
    expect(first.body.pagination).toEqual({ total: 3, page: 1, per_page: 2, total_pages: 2 });
    const past = await own('GET', '/contacts?page=9&per_page=2');
    expect(past.body).toEqual({ contacts: [], pagination: { total: 3, page: 9, per_page: 2, total_pages: 2 } });
    const subscribed = await own('GET', '/contacts?subscribed=false');
    expect(subscribed.body.contacts.map((c: any) => c.email)).toEqual(['p2@example.com']);
    const search = await own('GET', '/contacts?search=P1');
    expect(search.body.pagination.total).toBe(1);
    const unknownSegment = await own('GET', '/contacts?segment_id=seg_aaaaaaaaaaaaaaaaaaaa');
    expect(unknownSegment.body.pagination.total).toBe(0);
  });

  it('answers every error status of the table in the one error shape, and changes nothing', async () => {
    const { body: existing } = await call('POST', '/contacts', { body: { email: 'taken@example.com' } });
    const s = service();
    const cases: { name: string; run: () => ReturnType<typeof call>; status: number; code: string; field?: unknown[] }[] = [
      { name: 'malformed JSON', run: () => call('POST', '/contacts', { raw: '{"email":' }), status: 400, code: 'BAD_REQUEST' },
      {
        name: 'array body',
        run: () => call('POST', '/contacts', { body: [{ email: 'a@example.com' }] }),
        status: 400,
        code: 'BAD_REQUEST',
      },
      { name: 'string body', run: () => call('POST', '/contacts', { body: 'a@example.com' }), status: 400, code: 'BAD_REQUEST' },
      { name: 'page=0', run: () => call('GET', '/contacts?page=0'), status: 400, code: 'BAD_REQUEST', field: ['query', 'page'] },
      { name: 'page=-1', run: () => call('GET', '/contacts?page=-1'), status: 400, code: 'BAD_REQUEST', field: ['query', 'page'] },
      { name: 'page=abc', run: () => call('GET', '/contacts?page=abc'), status: 400, code: 'BAD_REQUEST', field: ['query', 'page'] },
      {
        name: 'per_page=1e3',
        run: () => call('GET', '/contacts?per_page=1e3'),
        status: 400,
        code: 'BAD_REQUEST',
        field: ['query', 'per_page'],
      },
      {
        name: 'per_page=101',
        run: () => call('GET', '/contacts?per_page=101'),
        status: 400,
        code: 'BAD_REQUEST',
        field: ['query', 'per_page'],
      },
      {
        name: 'no key',
        run: () => rest(s.url, null, 'POST', '/contacts', { body: { email: 'n@example.com' } }),
        status: 401,
        code: 'UNAUTHENTICATED',
      },
      { name: 'unknown key', run: () => rest(s.url, 'sk_live_nope', 'GET', '/contacts'), status: 401, code: 'UNAUTHENTICATED' },
      { name: 'unknown route', run: () => call('GET', '/nothing/here'), status: 404, code: 'NOT_FOUND' },
      { name: 'unknown id', run: () => call('DELETE', '/contacts/ct_aaaaaaaaaaaaaaaaaaaa'), status: 404, code: 'NOT_FOUND' },
      {
        name: 'wrong-type id',
        run: () => call('PATCH', '/contacts/seg_aaaaaaaaaaaaaaaaaaaa', { body: { first_name: 'x' } }),
        status: 404,
        code: 'NOT_FOUND',
      },
      { name: '..%2F in a segment', run: () => call('DELETE', '/contacts/..%2F..%2Fsegments'), status: 404, code: 'NOT_FOUND' },
      { name: 'wrong method', run: () => call('PUT', '/contacts'), status: 405, code: 'METHOD_NOT_ALLOWED' },
      {
        name: 'taken email',
        run: () => call('POST', '/contacts', { body: { email: 'TAKEN@example.com' } }),
        status: 409,
        code: 'TAKEN',
        field: ['email'],
      },
      {
        name: 'wrong content type',
        run: () => call('POST', '/contacts', { raw: 'email=a@example.com', contentType: 'text/plain' }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'unknown field',
        run: () => call('POST', '/contacts', { body: { email: 'u@example.com', firstName: 'U' } }),
        status: 422,
        code: 'INVALID',
        field: ['firstName'],
      },
      {
        name: 'invalid email',
        run: () => call('POST', '/contacts', { body: { email: 'not an email' } }),
        status: 422,
        code: 'INVALID',
        field: ['email'],
      },
      {
        name: 'email of wrong type',
        run: () => call('POST', '/contacts', { body: { email: 5 } }),
        status: 422,
        code: 'INVALID',
        field: ['email'],
      },
      {
        name: 'nested property value',
        run: () => call('POST', '/contacts', { body: { email: 'v@example.com', properties: { a: { b: 1 } } } }),
        status: 422,
        code: 'INVALID',
        field: ['properties', 'a'],
      },
      {
        name: 'NUL in a name',
        run: () => call('PATCH', `/contacts/${existing.id}`, { body: { first_name: 'a\u0000b' } }),
        status: 422,
        code: 'INVALID',
        field: ['first_name'],
      },
      {
        name: 'too long a name',
        run: () => call('POST', '/contacts', { body: { email: 'l@example.com', last_name: 'x'.repeat(201) } }),
        status: 422,
        code: 'TOO_LONG',
        field: ['last_name'],
      },
    ];
    for (const testCase of cases) {
      const answer = await expectNothingChanged(s, account, testCase.run);
      expect({ name: testCase.name, status: answer.status }).toEqual({ name: testCase.name, status: testCase.status });
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.body.errors[0]).toEqual({
        code: testCase.code,
        message: expect.any(String),
        ...(testCase.field && { field: testCase.field }),
      });
    }
  });

  it('says which methods a known route allows, and asks for a Bearer key', async () => {
    const wrong = await call('PUT', '/contacts/ct_aaaaaaaaaaaaaaaaaaaa');
    expect(wrong.headers.get('allow')).toBe('GET, PATCH, DELETE');
    const unauthenticated = await rest(service().url, null, 'GET', '/contacts');
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('lists every validation error of a request, not only the first', async () => {
    const answer = await expectNothingChanged(service(), account, () =>
      call('POST', '/contacts', { body: { email: 'bad', first_name: 'x'.repeat(201), properties: { 'bad key': 1 } } }),
    );
    expect(answer.status).toBe(422);
    expect(answer.body.errors.map((error: any) => error.field[0])).toEqual(['email', 'first_name', 'properties']);
    const schema = await call('POST', '/contacts', { body: { email: 1, nickname: 'x', unsubscribed: 'yes' } });
    expect(schema.body.errors.map((error: any) => error.field)).toEqual(
      expect.arrayContaining([['email'], ['nickname'], ['unsubscribed']]),
    );
  });

  it('refuses a 50 MB body with 413', async () => {
    const huge = new Uint8Array(50 * 1024 ** 2).fill(97);
    const answer = await expectNothingChanged(service(), account, () => call('POST', '/contacts', { raw: huge }));
    expect(answer.status).toBe(413);
    expect(answer.body.errors[0].code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('agrees with GraphQL: written through one surface, read identically through the other', async () => {
    const viaRest = await call('POST', '/contacts', { body: { email: 'agree@example.com', first_name: 'Ag', properties: { n: 1 } } });
    const read = await account.gql(`query ($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id: viaRest.body.id });
    const c = read.data.contact;
    expect({
      id: c.id,
      email: c.email,
      first_name: c.firstName,
      last_name: c.lastName,
      properties: c.properties,
      unsubscribed: c.unsubscribed,
      unsubscribed_at: c.unsubscribedAt,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    }).toEqual(viaRest.body);

    const viaGraphql = await account.gql(
      `mutation { createContact(input: { email: "gq@example.com", lastName: "Q", unsubscribed: true }) { contact { ${CONTACT_FIELDS} } } }`,
    );
    const g = viaGraphql.data.createContact.contact;
    expect((await call('GET', '/contacts/gq@example.com')).body).toEqual({
      id: g.id,
      email: g.email,
      first_name: g.firstName,
      last_name: g.lastName,
      properties: g.properties,
      unsubscribed: g.unsubscribed,
      unsubscribed_at: g.unsubscribedAt,
      created_at: g.createdAt,
      updated_at: g.updatedAt,
    });
    const page = await account.gql('{ contactsPage(page: 1, perPage: 5) { pagination { total } contacts { id } } }');
    const restPage = await call('GET', '/contacts?page=1&per_page=5');
    expect(restPage.body.pagination.total).toBe(page.data.contactsPage.pagination.total);
    expect(restPage.body.contacts.map((c: any) => c.id)).toEqual(page.data.contactsPage.contacts.map((c: any) => c.id));
  });

  it("answers another account's ids and emails exactly as a never-existing one", async () => {
    const stranger = await service().account('Stranger');
    const theirs = await restOf(service(), stranger)('POST', '/contacts', { body: { email: 'secret@example.com' } });
    const never = 'ct_zzzzzzzzzzzzzzzzzzzz';
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { first_name: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/unsubscribe', undefined],
      ['GET', '/segments', undefined],
    ] as const) {
      const pairs: [string, string][] = [
        [theirs.body.id as string, never],
        ['secret@example.com', 'never@example.com'],
      ];
      for (const [foreign, unknown] of pairs) {
        const a = await expectNothingChanged(service(), stranger, () => call(method, `/contacts/${foreign}${suffix}`, { body }));
        const b = await call(method, `/contacts/${unknown}${suffix}`, { body });
        expect(a.status).toBe(404);
        expect(a.text.replace(foreign, 'X')).toBe(b.text.replace(unknown, 'X'));
        expect(Object.fromEntries([...a.headers].filter(([name]) => name !== 'date' && name !== 'content-length'))).toEqual(
          Object.fromEntries([...b.headers].filter(([name]) => name !== 'date' && name !== 'content-length')),
        );
      }
    }
  });
});

// REST.md, Segments: the seed's segment calls, membership all or nothing, statuses with nothing
// changed, agreement of members with GraphQL, and isolation between accounts.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { expectNothingChanged, ISO, restOf } from './helpers.js';

describe.each(DATABASE_KINDS)('REST segments on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let call: ReturnType<typeof restOf>;
  let ids: string[];
  beforeAll(async () => {
    account = await service().account();
    call = restOf(service(), account);
    ids = [];
    for (const [email, plan] of [
      ['e1@example.com', 'enterprise'],
      ['e2@example.com', 'enterprise'],
      ['f1@example.com', 'free'],
    ]) {
      ids.push((await call('POST', '/contacts', { body: { email, properties: { plan } } })).body.id);
    }
  });

  it('creates a dynamic segment with the seed body, and its members agree with GraphQL', async () => {
    const created = await call('POST', '/segments', {
      body: { name: 'Enterprise Users', type: 'dynamic', rules: [{ field: 'properties.plan', operator: 'equals', value: 'enterprise' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^seg_[a-z0-9]{20}$/),
      name: 'Enterprise Users',
      type: 'dynamic',
      match: 'all',
      rules: [{ field: 'properties.plan', operator: 'equals', value: 'enterprise' }],
      contact_count: 2,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const id = created.body.id as string;
    expect((await call('GET', `/segments/${id}`)).body).toEqual(created.body);

    const members = await call('GET', `/segments/${id}/contacts`);
    expect(members.body.pagination).toEqual({ total: 2, page: 1, per_page: 20, total_pages: 1 });
    const viaGraphql = await account.gql(
      `query ($id: ID!) { segment(id: $id) { name type match contactCount contacts(first: 10) { edges { node { id } } } } }`,
      { id },
    );
    expect(viaGraphql.data.segment).toMatchObject({ name: 'Enterprise Users', type: 'DYNAMIC', match: 'ALL', contactCount: 2 });
    expect(members.body.contacts.map((c: any) => c.id)).toEqual(viaGraphql.data.segment.contacts.edges.map((e: any) => e.node.id));
    expect((await call('GET', `/contacts/${ids[0]}/segments`)).body.segments.map((s: any) => s.id)).toEqual([id]);

    const patched = await call('PATCH', `/segments/${id}`, {
      body: { name: 'Free', match: 'any', rules: [{ field: 'properties.plan', operator: 'IN', values: ['free'] }] },
    });
    expect(patched.body).toMatchObject({ name: 'Free', match: 'any', rules: [{ operator: 'in', values: ['free'] }], contact_count: 1 });

    const list = await call('GET', '/segments');
    expect(list.body.segments[0]).not.toHaveProperty('contact_count');
    expect(list.body.pagination).toMatchObject({ total: 1, page: 1 });
    const counted = await call('GET', '/segments?include=contact_count');
    expect(counted.body.segments[0].contact_count).toBe(1);

    expect((await call('DELETE', `/segments/${id}`)).body).toEqual({ id, deleted: true });
    expect((await call('GET', `/contacts/${ids[0]}`)).status).toBe(200);
  });

  it('adds and removes static members all or nothing, written through REST and read through GraphQL', async () => {
    const { body: segment } = await call('POST', '/segments', { body: { name: 'VIP', type: 'static' } });
    expect(segment).toMatchObject({ type: 'static', rules: [], contact_count: 0 });
    const added = await call('POST', `/segments/${segment.id}/contacts`, { body: { contact_ids: [ids[0], ids[2]] } });
    expect(added.status).toBe(200);
    expect(added.body.contact_count).toBe(2);
    const read = await account.gql(`query ($id: ID!) { segment(id: $id) { contacts(first: 10) { edges { node { id } } } } }`, {
      id: segment.id,
    });
    expect(read.data.segment.contacts.edges.map((e: any) => e.node.id).sort()).toEqual([ids[0], ids[2]].sort());

    const refused = await expectNothingChanged(service(), account, () =>
      call('POST', `/segments/${segment.id}/contacts`, { body: { contact_ids: [ids[1], 'ct_zzzzzzzzzzzzzzzzzzzz'] } }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ code: 'NOT_FOUND', message: expect.any(String), field: ['contact_ids', 1] }]);

    const removed = await call('DELETE', `/segments/${segment.id}/contacts`, { body: { contact_ids: [ids[0]] } });
    expect(removed.body.contact_count).toBe(1);
  });

  it('refuses bad segments in the one error shape and changes nothing', async () => {
    const { body: dynamic } = await call('POST', '/segments', {
      body: { name: 'D', type: 'dynamic', rules: [{ field: 'email', operator: 'contains', value: 'e' }] },
    });
    const cases: [string, () => ReturnType<typeof call>, number, string, unknown[] | undefined][] = [
      [
        'no rules for dynamic',
        () => call('POST', '/segments', { body: { name: 'X', type: 'dynamic', rules: [] } }),
        422,
        'INVALID',
        ['rules'],
      ],
      ['unknown type', () => call('POST', '/segments', { body: { name: 'X', type: 'smart' } }), 422, 'INVALID', ['type']],
      [
        'bad operator',
        () =>
          call('POST', '/segments', { body: { name: 'X', type: 'dynamic', rules: [{ field: 'email', operator: 'like', value: 'a' }] } }),
        422,
        'INVALID',
        ['rules', 0, 'operator'],
      ],
      [
        'unknown field',
        () => call('POST', '/segments', { body: { name: 'X', type: 'static', colour: 'red' } }),
        422,
        'INVALID',
        ['colour'],
      ],
      ['empty name', () => call('PATCH', `/segments/${dynamic.id}`, { body: { name: ' ' } }), 422, 'INVALID', ['name']],
      [
        'members of a dynamic segment',
        () => call('POST', `/segments/${dynamic.id}/contacts`, { body: { contact_ids: [ids[0]] } }),
        422,
        'NOT_ALLOWED',
        undefined,
      ],
      [
        'over 1000 ids',
        () => call('POST', `/segments/${dynamic.id}/contacts`, { body: { contact_ids: Array.from({ length: 1001 }, () => ids[0]) } }),
        422,
        'LIMIT_EXCEEDED',
        ['contact_ids'],
      ],
      ['unknown segment', () => call('GET', '/segments/seg_zzzzzzzzzzzzzzzzzzzz'), 404, 'NOT_FOUND', undefined],
      ['wrong-type id', () => call('DELETE', `/segments/${ids[0]}`), 404, 'NOT_FOUND', undefined],
      ['wrong method', () => call('PUT', '/segments'), 405, 'METHOD_NOT_ALLOWED', undefined],
    ];
    for (const [name, run, status, code, field] of cases) {
      const answer = await expectNothingChanged(service(), account, run);
      expect({ name, status: answer.status }).toEqual({ name, status });
      expect(answer.body.errors[0]).toEqual({ code, message: expect.any(String), ...(field && { field }) });
    }
  });

  it("answers another account's segment exactly as a never-existing one", async () => {
    const stranger = await service().account('Stranger');
    const { body: theirs } = await restOf(service(), stranger)('POST', '/segments', { body: { name: 'Theirs', type: 'static' } });
    const never = 'seg_zzzzzzzzzzzzzzzzzzzz';
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Mine' }],
      ['DELETE', '', undefined],
      ['GET', '/contacts', undefined],
      ['POST', '/contacts', { contact_ids: [ids[0]] }],
    ] as const) {
      const a = await expectNothingChanged(service(), stranger, () => call(method, `/segments/${theirs.id}${suffix}`, { body }));
      const b = await call(method, `/segments/${never}${suffix}`, { body });
      expect(a.status).toBe(404);
      expect(a.text.replace(theirs.id as string, 'X')).toBe(b.text.replace(never, 'X'));
    }
  });
});

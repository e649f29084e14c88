// EVENTS.md "What is an event": every change writes its events in its own transaction, one per
// contact and change, with the exact body; a change that changes nothing writes none.
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { ISO, restOf } from '../rest/helpers.js';
import { postCsv } from '../import/helpers.js';
import { type EventJson, feedReader } from './helpers.js';

const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { code } } }`;
const UPDATE = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } userErrors { code } } }`;
const UPSERT = `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { created updated contacts { id email } userErrors { code } } }`;

describe.each(DATABASE_KINDS)('events of every change on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let api: ReturnType<typeof restOf>;
  let newEvents: ReturnType<typeof feedReader>;
  let prefix: string;

  beforeEach(async () => {
    account = await service().account();
    api = restOf(service(), account);
    newEvents = feedReader(service(), account);
    prefix = account.apiKey.slice(0, 16);
  });

  async function createContact(input: Record<string, unknown>): Promise<string> {
    const answer = await account.gql(CREATE, { input });
    expect(answer.data.createContact.userErrors).toEqual([]);
    return answer.data.createContact.contact.id;
  }

  const contactJson = async (id: string) => (await api('GET', `/contacts/${id}`)).body;

  function expectBody(event: EventJson, expected: Partial<EventJson>) {
    expect(event).toEqual({
      id: expect.stringMatching(/^evt_[a-z0-9]{20}$/),
      created_at: expect.stringMatching(ISO),
      source: 'graphql',
      api_key_prefix: prefix,
      import_job_id: null,
      previous: null,
      ...expected,
    });
  }

  it('contact.created, contact.updated (properties key by key), contact.deleted: exact bodies, by GraphQL and REST', async () => {
    const id = await createContact({ email: 'Alice@Example.com', firstName: 'Alice', properties: { plan: 'pro', seats: 3, trial: true } });
    const created = await contactJson(id);
    const [createdEvent, ...more] = await newEvents(1);
    expect(more).toEqual([]);
    expect(prefix).toMatch(/^sk_live_.{8}$/);
    expectBody(createdEvent!, { type: 'contact.created', data: created });

    const patched = await api('PATCH', `/contacts/${id}`, { body: { properties: { plan: 'enterprise', trial: null, region: 'eu' } } });
    expect(patched.status).toBe(200);
    const [updated] = await newEvents(1);
    expectBody(updated!, {
      type: 'contact.updated',
      source: 'rest',
      data: patched.body,
      previous: { properties: { plan: 'pro', trial: true, region: null } },
    });

    const before = await contactJson(id);
    expect((await api('DELETE', `/contacts/${id}`)).status).toBe(200);
    const [deleted] = await newEvents(1);
    expectBody(deleted!, { type: 'contact.deleted', source: 'rest', data: before });
  });

  it('writes no event for a change that changes nothing', async () => {
    const id = await createContact({ email: 'same@example.com', firstName: 'Same', properties: { plan: 'pro' } });
    await newEvents(1);
    expect(
      (await account.gql(UPDATE, { input: { id, firstName: 'Same', properties: { plan: 'pro' } } })).data.updateContact.userErrors,
    ).toEqual([]);
    expect((await api('POST', `/contacts/${id}/resubscribe`)).status).toBe(200);
    expect((await account.gql(UPSERT, { contacts: [{ email: 'same@example.com', firstName: 'Same' }] })).data.upsertContacts.updated).toBe(
      1,
    );
    // A later change shows the reader is past the no-ops, which made nothing.
    await account.gql(UPDATE, { input: { id, lastName: 'Later' } });
    const events = await newEvents(1);
    expect(events.map((event) => [event.type, event.previous])).toEqual([['contact.updated', { last_name: null }]]);
  });

  it('an unsubscribe by update is contact.unsubscribed with the other changed fields in previous; resubscribe is contact.resubscribed', async () => {
    const id = await createContact({ email: 'sub@example.com', firstName: 'Sub' });
    await newEvents(1);
    await account.gql(UPDATE, { input: { id, unsubscribed: true, firstName: 'Unsub' } });
    const [unsubscribed] = await newEvents(1);
    const after = await contactJson(id);
    expectBody(unsubscribed!, {
      type: 'contact.unsubscribed',
      data: after,
      previous: { unsubscribed: false, unsubscribed_at: null, first_name: 'Sub' },
    });
    expect((await api('POST', `/contacts/${id}/unsubscribe`)).status).toBe(200); // already: nothing changes
    const resubscribed = await api('POST', `/contacts/${id}/resubscribe`);
    expect(resubscribed.status).toBe(200);
    const events = await newEvents(1);
    expect(events).toHaveLength(1);
    expectBody(events[0]!, {
      type: 'contact.resubscribed',
      source: 'rest',
      data: await contactJson(id),
      previous: { unsubscribed: true, unsubscribed_at: after.unsubscribed_at },
    });
  });

  it('upsertContacts and deleteContacts: one event per contact actually created, changed or deleted', async () => {
    const keptId = await createContact({ email: 'kept@example.com', firstName: 'Kept' });
    const changedId = await createContact({ email: 'changed@example.com', firstName: 'Old' });
    await newEvents(2);
    const answer = await account.gql(UPSERT, {
      contacts: [
        { email: 'kept@example.com', firstName: 'Kept' },
        { email: 'changed@example.com', firstName: 'New' },
        { email: 'new@example.com' },
      ],
    });
    expect(answer.data.upsertContacts).toMatchObject({ created: 1, updated: 2 });
    const newId = answer.data.upsertContacts.contacts.find((c: { email: string }) => c.email === 'new@example.com').id;
    const events = await newEvents(2);
    expect(events).toHaveLength(2);
    const byType = Object.fromEntries(events.map((event) => [event.type, event]));
    expectBody(byType['contact.updated']!, {
      type: 'contact.updated',
      data: await contactJson(changedId),
      previous: { first_name: 'Old' },
    });
    expectBody(byType['contact.created']!, { type: 'contact.created', data: await contactJson(newId) });

    const before = await contactJson(keptId);
    const deleted = await account.gql(`mutation ($ids: [ID!]!) { deleteContacts(input: { ids: $ids }) { deletedContactIds } }`, {
      ids: [keptId, 'ct_aaaaaaaaaaaaaaaaaaaa'],
    });
    expect(deleted.data.deleteContacts.deletedContactIds).toEqual([keptId]);
    const [deletedEvent, ...rest] = await newEvents(1);
    expect(rest).toEqual([]);
    expectBody(deletedEvent!, { type: 'contact.deleted', data: before });
  });

  it('segment.created, .updated (only changed fields), .contacts_added/.contacts_removed (only those changed), .deleted alone', async () => {
    const a = await createContact({ email: 'a@example.com' });
    const b = await createContact({ email: 'b@example.com' });
    await newEvents(2);
    const created = await api('POST', '/segments', { body: { name: 'VIP', type: 'static' } });
    expect(created.status).toBe(201);
    const segmentId = created.body.id;
    const segmentJson = async () => {
      const { contact_count: _count, ...json } = (await api('GET', `/segments/${segmentId}`)).body;
      return json;
    };
    const [createdEvent] = await newEvents(1);
    expectBody(createdEvent!, { type: 'segment.created', source: 'rest', data: await segmentJson() });

    await api('PATCH', `/segments/${segmentId}`, { body: { name: 'VIP' } }); // the same name: nothing changes
    await api('PATCH', `/segments/${segmentId}`, { body: { name: 'Very important' } });
    const [updated, ...noMore] = await newEvents(1);
    expect(noMore).toEqual([]);
    expectBody(updated!, { type: 'segment.updated', source: 'rest', data: await segmentJson(), previous: { name: 'VIP' } });

    const add = `mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { userErrors { code } } }`;
    const remove = `mutation ($input: SegmentMembershipInput!) { removeContactsFromSegment(input: $input) { userErrors { code } } }`;
    expect((await account.gql(add, { input: { segmentId, contactIds: [a] } })).data.addContactsToSegment.userErrors).toEqual([]);
    await account.gql(add, { input: { segmentId, contactIds: [a, b, b] } });
    await account.gql(add, { input: { segmentId, contactIds: [a] } }); // nothing added: no event
    await account.gql(remove, { input: { segmentId, contactIds: [b] } });
    const membership = await newEvents(3);
    expect(membership.map((event) => [event.type, event.data, event.previous])).toEqual([
      ['segment.contacts_added', { segment_id: segmentId, contact_ids: [a] }, null],
      ['segment.contacts_added', { segment_id: segmentId, contact_ids: [b] }, null],
      ['segment.contacts_removed', { segment_id: segmentId, contact_ids: [b] }, null],
    ]);

    const before = await segmentJson();
    await account.gql(`mutation ($id: ID!) { deleteSegment(input: { id: $id }) { deletedSegmentId } }`, { id: segmentId });
    const deleted = await newEvents(1);
    expect(deleted).toHaveLength(1);
    expectBody(deleted[0]!, { type: 'segment.deleted', data: before });
  });

  it('an import makes one event per created or changed contact, source import with its job, then import.completed', async () => {
    await createContact({ email: 'known@example.com', firstName: 'Known' });
    await createContact({ email: 'same@example.com', firstName: 'Same' });
    await newEvents(2);
    const csv = 'email,first_name\nnew1@example.com,One\nnew2@example.com,Two\nknown@example.com,Changed\nsame@example.com,Same\nbad,Row\n';
    const answer = await postCsv(service(), account.apiKey, csv);
    expect(answer.status).toBe(200);
    const jobId = answer.body.job_id;
    const events = await newEvents(4);
    // In file order within the batch (the unchanged row makes none), then the job's.
    expect(
      events.map((event) => [event.type, event.data.email ?? event.data.id, event.source, event.import_job_id, event.api_key_prefix]),
    ).toEqual([
      ['contact.created', 'new1@example.com', 'import', jobId, prefix],
      ['contact.created', 'new2@example.com', 'import', jobId, prefix],
      ['contact.updated', 'known@example.com', 'import', jobId, prefix],
      ['import.completed', jobId, 'import', jobId, prefix],
    ]);
    expect(events.find((event) => event.type === 'contact.updated')!.previous).toEqual({ first_name: 'Known' });
    // The job as GET /contacts/imports/:job_id answers it.
    const job = await api('GET', `/contacts/imports/${jobId}`);
    expect(job.status).toBe(200);
    expect(events.at(-1)!.data).toEqual(job.body);
    expect(job.body).toMatchObject({ status: 'completed', imported: 2, updated: 2, errors: 1, row_errors: [{ line: 6 }] });
  });

  it('a file refused as a whole makes import.failed with the FAILED job as data', async () => {
    const answer = await postCsv(service(), account.apiKey, 'first_name\nnobody\n');
    expect(answer.status).toBe(422);
    const [failed, ...rest] = await newEvents(1);
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ type: 'import.failed', source: 'import', import_job_id: answer.body.job_id, api_key_prefix: prefix });
    expect(failed!.data).toMatchObject({ id: answer.body.job_id, status: 'failed', failure_reason: expect.any(String) });
  });

  it("no account sees another's events", async () => {
    const other = await service().account('Other');
    await createContact({ email: 'mine@example.com' });
    await newEvents(1);
    expect(await feedReader(service(), other)(0, 0)).toEqual([]);
  });
});

// Two accounts with look-alike data (the same emails, similar segment names, static and dynamic
// segments, an import job each). Account A tries every query, mutation, connection, node/nodes,
// import, export and CLI command against B's IDs, emails and cursors. SEMANTICS.md: nothing of
// another account is ever visible or changeable, and the answer is exactly the one for an ID
// that never existed. B's rows are compared before and after each attempt, straight from the database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { importContactsGraphql } from '../support/graphql-upload.js';
import { run } from '../support/process.js';
import { type TestAccount, useService } from '../support/service.js';
import { type AccountSnapshot, accountSnapshot } from '../support/snapshot.js';
import { uploadCsv } from '../support/upload.js';

const EMAILS = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
/** Written into every row of B, so that any of it in A's answers shows. */
const B_MARK = 'Bee-only';
const ONLY_IN_B = 'only-in-b@example.com';

const neverExisted = (prefix: string) =>
  `${prefix}_${Array.from(randomBytes(20), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('')}`;

/** The answer with `id` replaced, so that answers about two IDs can be compared. */
const normalise = (answer: unknown, id: string) => JSON.parse(JSON.stringify(answer).replaceAll(id, '<ID>')) as unknown;

interface Holdings {
  account: TestAccount;
  contactIds: string[];
  staticId: string;
  dynamicId: string;
  jobId: string;
}

const CONTACT = 'id email firstName lastName properties unsubscribed createdAt updatedAt';
const SEGMENT = 'id name type match rules { field operator value values } contactCount';

describe.each(DATABASE_KINDS)('isolation between accounts on %s', (kind) => {
  const service = useService(kind);
  let a: Holdings;
  let b: Holdings;
  let bIds: string[];
  let bAtStart: AccountSnapshot;

  async function fill(account: TestAccount, mark: string): Promise<Holdings> {
    const upsert = await account.gql(
      `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { contacts { id } userErrors { message } } }`,
      {
        contacts: EMAILS.map((email, i) => ({
          email,
          firstName: `${mark} ${i}`,
          lastName: mark,
          properties: { plan: 'pro', owner: mark },
          unsubscribed: i === 2,
        })),
      },
    );
    expect(upsert.data.upsertContacts.userErrors).toEqual([]);
    const contactIds = upsert.data.upsertContacts.contacts.map((contact: { id: string }) => contact.id);
    const create = (input: object) =>
      account
        .gql(`mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { segment { id } userErrors { message } } }`, { input })
        .then((answer) => {
          expect(answer.data.createSegment.userErrors).toEqual([]);
          return answer.data.createSegment.segment.id as string;
        });
    const staticId = await create({ name: `VIP ${mark}`, type: 'STATIC' });
    const dynamicId = await create({
      name: `Pros ${mark}`,
      type: 'DYNAMIC',
      rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }],
    });
    const added = await account.gql(
      `mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { userErrors { message } } }`,
      {
        input: { segmentId: staticId, contactIds: contactIds.slice(0, 2) },
      },
    );
    expect(added.data.addContactsToSegment.userErrors).toEqual([]);
    const imported = await uploadCsv(
      service().url,
      account.apiKey,
      `email,first_name,owner\ndave@example.com,${mark},${mark}\nalice@example.com,,${mark}\n`,
      `${mark}.csv`,
      `?segment_id=${staticId}`,
    );
    expect(imported.status).toBe(200);
    return {
      account,
      contactIds: [...contactIds, ...(await idsOf(account))].filter((id, i, all) => all.indexOf(id) === i),
      staticId,
      dynamicId,
      jobId: imported.body.job_id,
    };
  }

  async function idsOf(account: TestAccount): Promise<string[]> {
    const answer = await account.gql('{ contacts(first: 100) { edges { node { id } } } }');
    return answer.data.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id);
  }

  beforeAll(async () => {
    a = await fill(await service().account('A'), 'Ay');
    b = await fill(await service().account('B'), B_MARK);
    const onlyInB = await b.account.gql(
      `mutation { createContact(input: { email: "${ONLY_IN_B}", firstName: "${B_MARK}" }) { contact { id } } }`,
    );
    b.contactIds.push(onlyInB.data.createContact.contact.id);
    bIds = [...b.contactIds, b.staticId, b.dynamicId, b.jobId];
    bAtStart = await snapshotOfB();
  });

  const snapshotOfB = (): Promise<AccountSnapshot> => accountSnapshot(service().service.db.prisma, b.account.accountId);

  /** Nothing of B in an answer to A: none of B's IDs, none of B's marked values. */
  function expectNothingOfB(answer: unknown): void {
    const text = JSON.stringify(answer);
    expect(text).not.toContain(B_MARK);
    for (const id of bIds) expect(text).not.toContain(id);
  }

  /**
   * A asks `query` about B's `id` and about an ID of the same kind that never existed: the
   * answers are the same (up to the ID itself), hold nothing of B, and B is unchanged.
   */
  async function expectSameAsNeverExisted(query: string, variables: (id: string) => Record<string, unknown>, id: string): Promise<unknown> {
    const fake = neverExisted(id.split('_')[0]!);
    const before = await snapshotOfB();
    const answer = await a.account.gql(query, variables(id));
    expect(await snapshotOfB()).toEqual(before);
    const control = await a.account.gql(query, variables(fake));
    expect(answer.status).toBe(control.status);
    expect(normalise({ data: answer.data, errors: answer.errors }, id)).toEqual(
      normalise({ data: control.data, errors: control.errors }, fake),
    );
    expectNothingOfB(normalise(answer, id));
    return answer.data;
  }

  describe("queries with B's IDs answer as for IDs that never existed", () => {
    const cases: [string, string, (h: Holdings) => string, (id: string) => Record<string, unknown>][] = [
      [
        'node (contact)',
        `query ($id: ID!) { node(id: $id) { id ... on Contact { ${CONTACT} } } }`,
        (h) => h.contactIds[0]!,
        (id) => ({ id }),
      ],
      [
        'node (static segment)',
        `query ($id: ID!) { node(id: $id) { id ... on Segment { ${SEGMENT} } } }`,
        (h) => h.staticId,
        (id) => ({ id }),
      ],
      [
        'node (dynamic segment)',
        `query ($id: ID!) { node(id: $id) { id ... on Segment { ${SEGMENT} } } }`,
        (h) => h.dynamicId,
        (id) => ({ id }),
      ],
      [
        'node (import job)',
        'query ($id: ID!) { node(id: $id) { id ... on ImportJob { status imported } } }',
        (h) => h.jobId,
        (id) => ({ id }),
      ],
      ['nodes', 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', (h) => h.contactIds[1]!, (id) => ({ ids: [id] })],
      ['nodes (segment)', 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', (h) => h.staticId, (id) => ({ ids: [id, id] })],
      ['contact(id)', `query ($id: ID!) { contact(id: $id) { ${CONTACT} } }`, (h) => h.contactIds[0]!, (id) => ({ id })],
      [
        'contact(id, email)',
        `query ($id: ID!) { contact(id: $id, email: "alice@example.com") { ${CONTACT} } }`,
        (h) => h.contactIds[0]!,
        (id) => ({ id }),
      ],
      [
        'segment(id) static',
        `query ($id: ID!) { segment(id: $id) { ${SEGMENT} contacts { totalCount edges { node { id } } } } }`,
        (h) => h.staticId,
        (id) => ({ id }),
      ],
      ['segment(id) dynamic', `query ($id: ID!) { segment(id: $id) { ${SEGMENT} } }`, (h) => h.dynamicId, (id) => ({ id })],
      [
        'importJob(id)',
        'query ($id: ID!) { importJob(id: $id) { id status imported updated errors rowErrors { line } } }',
        (h) => h.jobId,
        (id) => ({ id }),
      ],
      [
        'contacts(segmentId) static',
        'query ($id: ID) { contacts(segmentId: $id) { totalCount edges { node { id email } } pageInfo { hasNextPage } } }',
        (h) => h.staticId,
        (id) => ({ id }),
      ],
      [
        'contacts(segmentId) dynamic',
        'query ($id: ID) { contacts(segmentId: $id, subscribed: true) { totalCount edges { node { id } } } }',
        (h) => h.dynamicId,
        (id) => ({ id }),
      ],
      [
        'contactsPage(segmentId)',
        'query ($id: ID) { contactsPage(segmentId: $id) { pagination { total page perPage totalPages } contacts { id } } }',
        (h) => h.dynamicId,
        (id) => ({ id }),
      ],
      ['contactsCsv(segmentId) static', 'query ($id: ID) { contactsCsv(segmentId: $id) }', (h) => h.staticId, (id) => ({ id })],
      ['contactsCsv(segmentId) dynamic', 'query ($id: ID) { contactsCsv(segmentId: $id) }', (h) => h.dynamicId, (id) => ({ id })],
    ];
    it.each(cases)('%s', async (_name, query, target, variables) => {
      await expectSameAsNeverExisted(query, variables, target(b));
    });
  });

  describe("mutations on B's IDs answer NOT_FOUND as for IDs that never existed, and change nothing of B", () => {
    const payload = 'userErrors { field code message }';
    const cases: [string, string, (id: string) => Record<string, unknown>, (h: Holdings) => string][] = [
      [
        'updateContact',
        `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } ${payload} } }`,
        (id) => ({ input: { id, firstName: 'Taken over', properties: { owner: 'A' } } }),
        (h) => h.contactIds[0]!,
      ],
      [
        'updateContact (email)',
        `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } ${payload} } }`,
        (id) => ({ input: { id, email: 'new@example.com' } }),
        (h) => h.contactIds[1]!,
      ],
      [
        'deleteContact',
        `mutation ($input: DeleteContactInput!) { deleteContact(input: $input) { deletedContactId ${payload} } }`,
        (id) => ({ input: { id } }),
        (h) => h.contactIds[0]!,
      ],
      [
        'unsubscribeContact',
        `mutation ($input: UnsubscribeContactInput!) { unsubscribeContact(input: $input) { contact { id } ${payload} } }`,
        (id) => ({ input: { id } }),
        (h) => h.contactIds[0]!,
      ],
      [
        'resubscribeContact',
        `mutation ($input: ResubscribeContactInput!) { resubscribeContact(input: $input) { contact { id } ${payload} } }`,
        (id) => ({ input: { id } }),
        (h) => h.contactIds[2]!,
      ],
      [
        'deleteContacts',
        `mutation ($input: DeleteContactsInput!) { deleteContacts(input: $input) { deletedContactIds ${payload} } }`,
        (id) => ({ input: { ids: [id] } }),
        (h) => h.contactIds[1]!,
      ],
      [
        'updateSegment (static)',
        `mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { id, name: 'Taken over' } }),
        (h) => h.staticId,
      ],
      [
        'updateSegment (dynamic rules)',
        `mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { id, match: 'ANY', rules: [{ field: 'email', operator: 'EXISTS' }] } }),
        (h) => h.dynamicId,
      ],
      [
        'deleteSegment',
        `mutation ($input: DeleteSegmentInput!) { deleteSegment(input: $input) { deletedSegmentId ${payload} } }`,
        (id) => ({ input: { id } }),
        (h) => h.staticId,
      ],
      [
        "addContactsToSegment (B's segment, A's contact)",
        `mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { segmentId: id, contactIds: [a.contactIds[0]] } }),
        (h) => h.staticId,
      ],
      [
        "removeContactsFromSegment (B's segment)",
        `mutation ($input: SegmentMembershipInput!) { removeContactsFromSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { segmentId: id, contactIds: [a.contactIds[0]] } }),
        (h) => h.staticId,
      ],
      [
        "addContactsToSegment (A's segment, B's contact)",
        `mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { segmentId: a.staticId, contactIds: [id] } }),
        (h) => h.contactIds[0]!,
      ],
      [
        "removeContactsFromSegment (A's segment, B's contact)",
        `mutation ($input: SegmentMembershipInput!) { removeContactsFromSegment(input: $input) { segment { id } ${payload} } }`,
        (id) => ({ input: { segmentId: a.staticId, contactIds: [id] } }),
        (h) => h.contactIds[1]!,
      ],
    ];
    it.each(cases)('%s', async (_name, mutation, variables, target) => {
      const data = (await expectSameAsNeverExisted(mutation, variables, target(b))) as Record<string, { userErrors: { code: string }[] }>;
      expect(Object.values(data)[0]!.userErrors.map((error) => error.code)).toContain('NOT_FOUND');
    });

    it('bulk changes of A with the same emails as B touch only A', async () => {
      const before = await snapshotOfB();
      const answer = await a.account.gql(
        `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { created updated contacts { id } userErrors { code } } }`,
        {
          contacts: [...EMAILS, 'dave@example.com'].map((email) => ({ email: email.toUpperCase(), properties: { touched: true } })),
        },
      );
      expect(answer.data.upsertContacts).toMatchObject({ created: 0, updated: 4, userErrors: [] });
      expectNothingOfB(answer);
      // An email only B holds is unknown to A, and free in A: no TAKEN, nothing told about B.
      const byEmail = (email: string) =>
        a.account.gql('query ($email: String!) { contact(email: $email) { id } search: contacts(search: $email) { totalCount } }', {
          email,
        });
      expect((await byEmail(ONLY_IN_B)).data).toEqual((await byEmail('never-existed@example.com')).data);
      const moved = await a.account.gql(
        'mutation ($id: ID!) { updateContact(input: { id: $id, email: "ONLY-IN-B@example.com" }) { contact { email } userErrors { code } } }',
        { id: a.contactIds[1] },
      );
      expect(moved.data.updateContact).toEqual({ contact: { email: ONLY_IN_B }, userErrors: [] });
      const created = await a.account.gql(
        'mutation { createContact(input: { email: "bob@example.com" }) { contact { id } userErrors { code } } }',
      );
      expect(created.data.createContact.userErrors).toEqual([]);
      expect(await snapshotOfB()).toEqual(before);
    });
  });

  describe("B's cursors replayed by A give only A's rows", () => {
    it('on every connection', async () => {
      const before = await snapshotOfB();
      const cursors = await b.account.gql(
        `query ($static: ID!, $contact: ID!) {
        contacts(first: 1) { edges { cursor } }
        segments(first: 1) { edges { cursor } }
        importJobs(first: 1) { edges { cursor } }
        segment(id: $static) { contacts(first: 1) { edges { cursor } } }
        contact(id: $contact) { segments(first: 1) { edges { cursor } } }
      }`,
        { static: b.staticId, contact: b.contactIds[0] },
      );
      const all = JSON.stringify(cursors.data)
        .match(/"cursor":"[^"]+"/g)!
        .map((text) => text.slice(10, -1));
      expect(all).toHaveLength(5);
      for (const cursor of all) {
        for (const [direction, size] of [
          ['after', 'first'],
          ['before', 'last'],
        ]) {
          const answer = await a.account.gql(
            `query ($cursor: String, $static: ID!, $contact: ID!) {
            contacts(${direction}: $cursor, ${size}: 50) { totalCount edges { node { id email firstName } } }
            contactsPage(perPage: 50) { pagination { total } }
            segments(${direction}: $cursor, ${size}: 50) { totalCount edges { node { id name } } }
            importJobs(${direction}: $cursor, ${size}: 50) { totalCount edges { node { id } } }
            segment(id: $static) { contacts(${direction}: $cursor, ${size}: 50) { totalCount edges { node { id } } } }
            contact(id: $contact) { segments(${direction}: $cursor, ${size}: 50) { totalCount edges { node { id } } } }
          }`,
            { cursor, static: a.staticId, contact: a.contactIds[0] },
          );
          expectNothingOfB(answer);
          // Counts are A's alone.
          // A cursor of another list may be refused; any list that answers counts A's rows alone.
          if (answer.data?.contacts) expect(answer.data.contacts.totalCount).toBe(await countOf(a.account.accountId));
          if (answer.data?.segments) expect(answer.data.segments.totalCount).toBe(2);
          if (answer.data?.importJobs) expect(answer.data.importJobs.totalCount).toBeGreaterThanOrEqual(1);
          expect(answer.status).not.toBe(500);
        }
      }
      expect(await snapshotOfB()).toEqual(before);
    });
  });

  async function countOf(accountId: string): Promise<number> {
    return service().service.db.prisma.contact.count({ where: { accountId } });
  }

  describe("A's own lists, counts and segments hold nothing of B", () => {
    it('lists, searches, totals, segment members and Contact.segments', async () => {
      const answer = await a.account.gql(
        `query ($static: ID!, $dynamic: ID!) {
        contacts(first: 100) { totalCount edges { node { ${CONTACT} segments { totalCount edges { node { id name } } } } } }
        search: contacts(search: "alice") { totalCount edges { node { id } } }
        mark: contacts(search: "${B_MARK}") { totalCount }
        contactsPage(perPage: 100) { pagination { total } contacts { id } }
        segments { totalCount edges { node { ${SEGMENT} } } }
        named: segments(search: "VIP") { totalCount }
        importJobs { totalCount edges { node { id imported updated } } }
        static: segment(id: $static) { contactCount contacts { totalCount edges { node { id } } } }
        dynamic: segment(id: $dynamic) { contactCount contacts(first: 100) { totalCount edges { node { id } } } }
        byEmail: contact(email: "ALICE@example.com") { id }
        csv: contactsCsv
      }`,
        { static: a.staticId, dynamic: a.dynamicId },
      );
      expect(answer.errors).toBeUndefined();
      expectNothingOfB(answer);
      const count = await countOf(a.account.accountId);
      expect(answer.data.contacts.totalCount).toBe(count);
      expect(answer.data.contactsPage.pagination.total).toBe(count);
      expect(answer.data.search.totalCount).toBe(1);
      expect(answer.data.mark.totalCount).toBe(0);
      expect(answer.data.segments.totalCount).toBe(2);
      expect(answer.data.named.totalCount).toBe(1);
      expect(answer.data.importJobs.totalCount).toBe(
        await service().service.db.prisma.importJob.count({ where: { accountId: a.account.accountId } }),
      );
      const members = await service().service.db.prisma.segmentMembership.count({ where: { segmentId: a.staticId } });
      expect(answer.data.static.contactCount).toBe(members);
      const pros = await service().service.db.prisma.contact.count({
        where: { accountId: a.account.accountId, properties: { path: ['plan'], equals: 'pro' } },
      });
      expect(answer.data.dynamic.contactCount).toBe(pros);
      expect(answer.data.dynamic.contacts.totalCount).toBe(pros);
      expect(answer.data.byEmail.id).toBe(a.contactIds[0]);
    });

    it("GET /contacts/export lists only A's contacts", async () => {
      const response = await fetch(`${service().url}/contacts/export`, { headers: { authorization: `Bearer ${a.account.apiKey}` } });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain(B_MARK);
      for (const id of bIds) expect(text).not.toContain(id);
      expect(text.trim().split('\n').length - 1).toBe(await countOf(a.account.accountId));
    });
  });

  describe("imports and exports with B's segment answer as for a segment that never existed", () => {
    const FILE = 'email,first_name\nalice@example.com,Through B\nnew-in-a@example.com,New\n';

    async function sameAsNeverExisted<T>(attempt: (segmentId: string) => Promise<T>, segmentId: string): Promise<void> {
      const fake = neverExisted('seg');
      const prisma = service().service.db.prisma;
      const before = await snapshotOfB();
      const contactsOfA = await prisma.contact.findMany({ where: { accountId: a.account.accountId }, orderBy: { id: 'asc' } });
      const answer = await attempt(segmentId);
      expect(await snapshotOfB()).toEqual(before);
      // Refused as a whole: nothing of the file reached A either.
      expect(await prisma.contact.findMany({ where: { accountId: a.account.accountId }, orderBy: { id: 'asc' } })).toEqual(contactsOfA);
      const control = await attempt(fake);
      expect(normalise(answer, segmentId)).toEqual(normalise(control, fake));
      expectNothingOfB(normalise(answer, segmentId));
    }

    it("an import whose id column holds B's contact IDs changes only A's contacts of those emails", async () => {
      const before = await snapshotOfB();
      const file = `id,email,first_name\n${b.contactIds[0]},alice@example.com,Imported\n${b.contactIds[3]},also-in-a@example.com,New\n`;
      const answer = await uploadCsv(service().url, a.account.apiKey, file);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ imported: 1, updated: 1, errors: 0 });
      expect(await snapshotOfB()).toEqual(before);
      expect(await service().service.db.prisma.contact.findUnique({ where: { id: a.contactIds[0] } })).toMatchObject({
        firstName: 'Imported',
      });
    });

    it.each([
      ['static', (h: Holdings) => h.staticId],
      ['dynamic', (h: Holdings) => h.dynamicId],
    ])("importContacts (GraphQL) into B's %s segment", async (_name, target) => {
      await sameAsNeverExisted(async (segmentId) => {
        const answer = await importContactsGraphql(service().url, a.account.apiKey, FILE, { segmentId });
        expect(answer.data?.importContacts?.userErrors?.[0]?.code).toBe('NOT_FOUND');
        return answer;
      }, target(b));
    });

    it.each([
      ['static', (h: Holdings) => h.staticId],
      ['dynamic', (h: Holdings) => h.dynamicId],
    ])("POST /contacts/import?segment_id= of B's %s segment", async (_name, target) => {
      await sameAsNeverExisted(async (segmentId) => {
        const answer = await uploadCsv(service().url, a.account.apiKey, FILE, 'a.csv', `?segment_id=${segmentId}`);
        expect(answer.status).toBe(404);
        return answer;
      }, target(b));
    });

    it.each([
      ['static', (h: Holdings) => h.staticId],
      ['dynamic', (h: Holdings) => h.dynamicId],
    ])("GET /contacts/export?segment_id= of B's %s segment", async (_name, target) => {
      await sameAsNeverExisted(async (segmentId) => {
        const response = await fetch(`${service().url}/contacts/export?segment_id=${segmentId}`, {
          headers: { authorization: `Bearer ${a.account.apiKey}` },
        });
        return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
      }, target(b));
    });

    it("the CLI: export --segment and import --segment with B's segment", async () => {
      const cli = (args: string[]) => run('cli', [...args, '--key', a.account.apiKey, '--url', service().url], {});
      await sameAsNeverExisted(async (segmentId) => {
        const { code, stdout, stderr } = await cli(['export', '--segment', segmentId]);
        expect(code).not.toBe(0);
        return { code, stdout, stderr };
      }, b.staticId);
      const file = join(mkdtempSync(join(tmpdir(), 'isolation-')), 'a.csv');
      writeFileSync(file, FILE);
      await sameAsNeverExisted(async (segmentId) => {
        const { code, stdout, stderr } = await cli(['import', file, '--segment', segmentId]);
        expect(code).not.toBe(0);
        // Progress lines tell speeds, which differ from run to run.
        return { code, stdout, stderr: stderr.replace(/^sent .*\n/gm, '') };
      }, b.staticId);
    });
  });

  it('in the end, B holds exactly what it held, and its counts are its own', async () => {
    const count = await service().service.db.prisma.contact.count({ where: { accountId: b.account.accountId } });
    const answer = await b.account.gql(`{ contacts { totalCount } segments { totalCount } importJobs { totalCount } }`);
    expect(answer.data).toEqual({ contacts: { totalCount: count }, segments: { totalCount: 2 }, importJobs: { totalCount: 1 } });
    expect(count).toBe(b.contactIds.length);
    expect(await snapshotOfB()).toEqual(bAtStart);
  });
});

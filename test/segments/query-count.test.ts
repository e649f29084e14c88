// No N+1: Contact.segments for a page of contacts costs the same few statements whether the
// page holds 1 contact or 100, and the account 1 dynamic segment or 50.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { createSegment, dynamicSegment, seedContacts } from './helpers.js';

describe.each(DATABASE_KINDS)('SQL statements of Contact.segments on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  const statements: string[] = [];

  /** The statements (BEGIN and COMMIT aside) that one request makes the service run. */
  async function statementsOf(query: string): Promise<{ data: any; statements: string[] }> {
    statements.length = 0;
    const response = await account.gql(query);
    expect(response.errors).toBeUndefined();
    return { data: response.data, statements: statements.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql.trim())) };
  }

  beforeAll(async () => {
    // Every statement: Prisma's and the driver's (set-based writes run on the driver).
    service().service.db.onStatement((sql) => statements.push(sql));
    account = await service().account();
    const ids = await seedContacts(
      service().service.db.prisma,
      account.accountId,
      Array.from({ length: 100 }, (_, i) => ({ email: `p${i}@example.com`, properties: { n: i, plan: i % 2 ? 'pro' : 'free' } })),
    );
    for (let i = 0; i < 50; i++)
      await dynamicSegment(account, [{ field: 'properties.n', operator: 'GREATER_THAN_OR_EQUAL', value: String(i * 2) }]);
    const listed = await createSegment(account, { name: 'Listed', type: 'STATIC' });
    await account.gql('mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { userErrors { code } } }', {
      input: { segmentId: listed.id, contactIds: ids.slice(0, 10) },
    });
  });

  it('answers the segments of 100 contacts, 50 dynamic segments each tested, in a constant number of statements', async () => {
    const one = await statementsOf('{ contacts(first: 1) { edges { node { id segments(first: 30) { totalCount } } } } }');
    const many = await statementsOf(
      '{ contacts(first: 100) { edges { node { id segments(first: 30) { edges { node { id name } } totalCount } } } } }',
    );
    expect(many.data.contacts.edges).toHaveLength(100);
    const total = many.data.contacts.edges.reduce((sum: number, edge: any) => sum + edge.node.segments.totalCount, 0);
    // Contact n is in the dynamic segments i with 2i <= n, and the first 10 (by list order) are in Listed.
    expect(total).toBe(Array.from({ length: 100 }, (_, n) => Math.min(50, Math.floor(n / 2) + 1)).reduce((a, b) => a + b) + 10);
    expect(many.statements.length).toBe(one.statements.length);
    expect(many.statements.length).toBeLessThanOrEqual(4);
  });
});

// importJobs: the account's jobs newest first (ties by id), paged by cursors both ways; each
// job's rowErrors read with the page, not a query per job; the cursors it refuses, by name.
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { requestStatements } from '../support/statements.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';

const PAGE = `query ($first: Int, $after: String, $last: Int, $before: String) {
  importJobs(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`;

describe.each(DATABASE_KINDS)('importJobs on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  /** The account's job ids, newest first. */
  let newestFirst: string[];

  /** Jobs as the imports leave them, with `errors` row errors each; two of them made at one instant. */
  async function seedJobs(owner: TestAccount, count: number, errors: number): Promise<string[]> {
    const prisma = service().service.db.prisma;
    const jobs = Array.from({ length: count }, (_, i) => ({
      id: newId('importJob'),
      accountId: owner.accountId,
      status: 'COMPLETED' as const,
      filename: `file${i}.csv`,
      errors,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i === 1 ? 0 : i)),
    }));
    await prisma.importJob.createMany({ data: jobs });
    await prisma.importRowError.createMany({
      data: jobs.flatMap((job) => Array.from({ length: errors }, (_, line) => ({ jobId: job.id, line: line + 2, message: 'bad' }))),
    });
    return jobs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((job) => job.id);
  }

  beforeAll(async () => {
    account = await service().account('Jobs');
    newestFirst = await seedJobs(account, 7, 3);
  });

  it('lists jobs newest first (ties by id), forward by first and after, back by last and before, without skips', async () => {
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await account.gql(PAGE, { first: 3, after })).data.importJobs;
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      forward.push(...page.edges.map((edge: any) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(newestFirst);

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: any = (await account.gql(PAGE, { last: 3, before })).data.importJobs;
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      backward.unshift(...page.edges.map((edge: any) => edge.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(newestFirst);
  });

  it("reads every job's rowErrors with the page: as many statements for 50 jobs as for 1", async () => {
    const owner = await service().account('Many jobs');
    await seedJobs(owner, 50, 4);
    const statements: string[] = [];
    const stop = service().service.db.onStatement((sql) => statements.push(sql));
    try {
      const statementsOf = async (first: number) => {
        statements.length = 0;
        const answer = await owner.gql(
          `{ importJobs(first: ${first}) { totalCount edges { node { id rowErrors(first: 2) { line message } } } } }`,
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data.importJobs.edges).toHaveLength(first);
        for (const edge of answer.data.importJobs.edges)
          expect(edge.node.rowErrors).toEqual([2, 3].map((line) => ({ line, message: 'bad' })));
        return requestStatements(statements);
      };
      const one = await statementsOf(1);
      const fifty = await statementsOf(50);
      expect(fifty.length).toBe(one.length);
      expect(fifty.length).toBeLessThanOrEqual(3);
    } finally {
      stop();
    }
  });

  it("pages nothing of another account from its job's cursor, and counts the caller's jobs alone", async () => {
    const other = await service().account('Other jobs');
    const [theirs] = await seedJobs(other, 1, 0);
    const cursor = (await other.gql(PAGE, { first: 1 })).data.importJobs.edges[0].cursor;
    expect((await other.gql(PAGE, { first: 1 })).data.importJobs.edges[0].node.id).toBe(theirs);
    for (const variables of [
      { first: 5, after: cursor },
      { last: 5, before: cursor },
    ]) {
      const page = (await account.gql(PAGE, variables)).data.importJobs;
      expect(page.edges).toEqual([]);
      expect(page.totalCount).toBe(7);
    }
  });

  it.each([
    ['a cursor that is not one', { first: 2, after: 'bm90IGEgY3Vyc29y' }, 'after'],
    ['a cursor of another kind of row', { last: 2, before: Buffer.from(`GPC:S:${newId('segment')}`).toString('base64') }, 'before'],
    ['first and last', { first: 2, last: 2 }, 'last'],
    ['after and before', { after: 'x', before: 'x' }, 'before'],
    ['first and before', { first: 2, before: 'x' }, 'before'],
    ['last and after', { last: 2, after: 'x' }, 'after'],
    ['first of 0', { first: 0 }, 'first'],
    ['last of 101', { last: 101 }, 'last'],
  ])('refuses %s, a BAD_USER_INPUT naming the argument', async (_name, variables, argument) => {
    const answer = await account.gql(PAGE, variables);
    expect(answer.status).toBeLessThan(500);
    expect(answer.data?.importJobs ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(answer.errors![0]!.message).toContain(argument);
  });

  it('refuses rowErrors(first:) out of 1 to 1000 at rowErrors, and reads 1000', async () => {
    const query = `query ($first: Int) { importJobs(first: 1) { edges { node { id rowErrors(first: $first) { line } } } } }`;
    for (const first of [0, 1001, -1]) {
      const answer = await account.gql(query, { first });
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]).toMatchObject({
        path: ['importJobs', 'edges', 0, 'node', 'rowErrors'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      });
      expect(answer.errors![0]!.message).toContain('1000');
    }
    const all = await account.gql(query, { first: 1000 });
    expect(all.errors).toBeUndefined();
    expect(all.data.importJobs.edges[0].node.rowErrors).toEqual([{ line: 2 }, { line: 3 }, { line: 4 }]);
  });
});

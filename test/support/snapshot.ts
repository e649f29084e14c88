// Everything an account holds, read straight from the database, so that a test can show that a
// request changed nothing (compare a snapshot from before with one from after).
import type { PrismaClient } from '../../src/db/generated/prisma/client.js';

export async function accountSnapshot(prisma: PrismaClient, accountId: string) {
  const [account, contacts, segments, memberships, importJobs, rowErrors] = await Promise.all([
    prisma.account.findUnique({ where: { id: accountId }, select: { id: true, name: true, contactCount: true } }),
    prisma.contact.findMany({ where: { accountId }, orderBy: { id: 'asc' } }),
    prisma.segment.findMany({ where: { accountId }, orderBy: { id: 'asc' } }),
    prisma.segmentMembership.findMany({
      where: { OR: [{ segment: { accountId } }, { contact: { accountId } }] },
      orderBy: [{ segmentId: 'asc' }, { contactId: 'asc' }],
    }),
    // A running job's lease is its instance's heartbeat, moved on by a timer, not the account's data.
    prisma.importJob.findMany({ where: { accountId }, orderBy: { id: 'asc' }, omit: { leaseExpiresAt: true } }),
    prisma.importRowError.findMany({ where: { job: { accountId } }, orderBy: { id: 'asc' } }),
  ]);
  return { account, contacts, segments, memberships, importJobs, rowErrors };
}

export type AccountSnapshot = Awaited<ReturnType<typeof accountSnapshot>>;

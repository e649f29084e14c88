// "A job left PROCESSING by a process that died is marked FAILED at the next start", while an
// import another live instance is running (its lock held) is left alone.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startService } from '../../src/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestService } from '../support/service.js';

describe.each(DATABASE_KINDS)('import jobs across restarts on %s', (kind) => {
  it('marks a job left PROCESSING by a stopped process FAILED at the next start', async () => {
    const first = await startTestService(kind);
    try {
      const { accountId } = await first.account();
      await first.service.db.prisma.importJob.create({
        data: { id: 'imp_left0000000000000001', accountId, status: 'PROCESSING', rowsProcessed: 5000, imported: 5000 },
      });
      await first.service.stop();
      const second = await startService(first.config);
      const job = await second.db.prisma.importJob.findUniqueOrThrow({ where: { id: 'imp_left0000000000000001' } });
      expect(job).toMatchObject({
        status: 'FAILED',
        imported: 5000,
        failureReason: expect.stringContaining('stopped before the import finished'),
      });
      expect(job.finishedAt).not.toBeNull();
      // And import.failed, with the job as data (EVENTS.md), written with the FAILED.
      const events = await second.db.prisma.$queryRaw<{ type: string; source: string; import_job_id: string; data: any }[]>`
        SELECT type, source, import_job_id, data FROM events WHERE account_id = ${accountId}`;
      expect(events).toEqual([
        {
          type: 'import.failed',
          source: 'import',
          import_job_id: 'imp_left0000000000000001',
          data: expect.objectContaining({ id: 'imp_left0000000000000001', status: 'failed', imported: 5000 }),
        },
      ]);
      await second.stop();
    } finally {
      await first.scratch.drop();
    }
  });

  it.runIf(kind === 'postgres')('leaves alone a job whose import another live instance holds', async () => {
    const first = await startTestService(kind);
    const holder = new pg.Client({ connectionString: (first.config.database as { url: string }).url });
    try {
      const { accountId } = await first.account();
      await first.service.db.prisma.importJob.create({ data: { id: 'imp_live0000000000000001', accountId, status: 'PROCESSING' } });
      await holder.connect();
      // What withNewJob holds while an import runs.
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [0x696d70, 'imp_live0000000000000001']);
      const second = await startService({ ...first.config, port: 0 });
      const job = await second.db.prisma.importJob.findUniqueOrThrow({ where: { id: 'imp_live0000000000000001' } });
      expect(job.status).toBe('PROCESSING');
      await second.stop();
    } finally {
      await holder.end();
      await first.stop();
    }
  });
});

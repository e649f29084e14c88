-- The lease of a running import: the instance running it moves lease_expires_at on while it
-- runs (on the database's clock), and any live instance marks a PROCESSING job whose lease has
-- run out FAILED. Start-up's advisory-lock check finds jobs of a process that died; the lease
-- also finds those of an instance that is alive but cut off, and needs no restart.
ALTER TABLE "import_jobs" ADD COLUMN "lease_expires_at" TIMESTAMPTZ(3);

CREATE INDEX "import_jobs_lease_idx" ON "import_jobs" ("lease_expires_at") WHERE "status" = 'PROCESSING';

-- The outbox of changes (EVENTS.md): every change writes its events in its own transaction, so a
-- change is committed if and only if its events are.
--
-- The feed's order is (txid, seq), read only below the oldest transaction still running
-- (pg_snapshot_xmin(pg_current_snapshot())). A sequence alone is not enough: a transaction can
-- draw a lower seq and commit after a page holding a higher one was served, and a reader paging
-- by seq would skip it. Every transaction with a txid under the snapshot's xmin has ended, and
-- any transaction still to commit has a txid at or above it, so a page never has a gap behind it.
CREATE TABLE "events" (
  "id" TEXT NOT NULL,
  "account_id" TEXT NOT NULL,
  "txid" XID8 NOT NULL DEFAULT pg_current_xact_id(),
  "seq" BIGINT GENERATED ALWAYS AS IDENTITY,
  -- Dotted names, as EVENTS.md spells them: contact.created, segment.contacts_added, …
  "type" TEXT NOT NULL,
  -- graphql, rest, import or cli
  "source" TEXT NOT NULL,
  "api_key_prefix" TEXT,
  "import_job_id" TEXT,
  -- The contact a contact event is about, for the feed's contactId filter (no foreign key: a
  -- deleted contact keeps its events).
  "contact_id" TEXT,
  "data" JSONB NOT NULL,
  "previous" JSONB,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

  CONSTRAINT "events_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE,
  CONSTRAINT "events_type_check" CHECK ("type" IN (
    'contact.created', 'contact.updated', 'contact.deleted', 'contact.unsubscribed', 'contact.resubscribed',
    'segment.created', 'segment.updated', 'segment.deleted', 'segment.contacts_added', 'segment.contacts_removed',
    'import.completed', 'import.failed')),
  CONSTRAINT "events_source_check" CHECK ("source" IN ('graphql', 'rest', 'import', 'cli'))
);

CREATE INDEX "events_feed_idx" ON "events" ("account_id", "txid", "seq");
CREATE INDEX "events_contact_idx" ON "events" ("account_id", "contact_id", "txid", "seq") WHERE "contact_id" IS NOT NULL;
-- Retention deletes the oldest events in small batches.
CREATE INDEX "events_created_at_idx" ON "events" ("created_at");

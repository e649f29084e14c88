-- The first shape of the whole data model. Written by hand, in the form `prisma migrate dev`
-- gives, plus what Prisma's schema language cannot say (extensions, trigram index, triggers).

-- Trigram indexes serve the case-insensitive substring search on contacts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateEnum
CREATE TYPE "SegmentType" AS ENUM ('STATIC', 'DYNAMIC');

-- CreateEnum
CREATE TYPE "SegmentMatch" AS ENUM ('ALL', 'ANY');

-- CreateEnum
CREATE TYPE "ImportJobStatus" AS ENUM ('PROCESSING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contact_count" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "unsubscribed" BOOLEAN NOT NULL DEFAULT false,
    "unsubscribed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "SegmentType" NOT NULL,
    "match" "SegmentMatch" NOT NULL DEFAULT 'ALL',
    "rules" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_memberships" (
    "segment_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segment_memberships_pkey" PRIMARY KEY ("segment_id","contact_id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "segment_id" TEXT,
    "status" "ImportJobStatus" NOT NULL DEFAULT 'PROCESSING',
    "filename" TEXT,
    "rows_processed" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row_errors" (
    "id" BIGSERIAL NOT NULL,
    "job_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "email" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "import_row_errors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_account_id_idx" ON "api_keys"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_account_id_email_key" ON "contacts"("account_id", "email");

-- CreateIndex
CREATE INDEX "contacts_account_id_created_at_id_idx" ON "contacts"("account_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "contacts_account_id_updated_at_id_idx" ON "contacts"("account_id", "updated_at", "id");

-- CreateIndex
CREATE INDEX "segments_account_id_created_at_id_idx" ON "segments"("account_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "segment_memberships_contact_id_idx" ON "segment_memberships"("contact_id");

-- CreateIndex
CREATE INDEX "import_jobs_account_id_created_at_id_idx" ON "import_jobs"("account_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "import_jobs_status_idx" ON "import_jobs"("status");

-- CreateIndex
CREATE INDEX "import_row_errors_job_id_line_idx" ON "import_row_errors"("job_id", "line");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_memberships" ADD CONSTRAINT "segment_memberships_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_memberships" ADD CONSTRAINT "segment_memberships_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The text that `search` matches: email, then "first last". The newline keeps a term from
-- matching across the email and the name. Queries call the same function, so the index serves them.
CREATE FUNCTION contact_search_text(email TEXT, first_name TEXT, last_name TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT email || E'\n' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') $$;

CREATE INDEX "contacts_search_trgm_idx" ON "contacts"
    USING GIN (contact_search_text("email", "first_name", "last_name") gin_trgm_ops);

-- accounts.contact_count follows inserts and deletes, a statement at a time, so that the
-- unfiltered totalCount of a large account is one row read instead of a scan.
CREATE FUNCTION contacts_count_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "accounts" a SET "contact_count" = a."contact_count" + n.count
    FROM (SELECT "account_id", count(*) AS count FROM inserted GROUP BY "account_id") n
    WHERE a."id" = n."account_id";
    RETURN NULL;
END $$;

CREATE FUNCTION contacts_count_deleted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "accounts" a SET "contact_count" = a."contact_count" - d.count
    FROM (SELECT "account_id", count(*) AS count FROM deleted GROUP BY "account_id") d
    WHERE a."id" = d."account_id";
    RETURN NULL;
END $$;

CREATE TRIGGER "contacts_count_insert" AFTER INSERT ON "contacts"
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_inserted();

CREATE TRIGGER "contacts_count_delete" AFTER DELETE ON "contacts"
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_deleted();

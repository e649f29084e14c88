-- The unsubscribed contacts of an account, and only those: `subscribed: false` counts them with a
-- small index-only scan, and `subscribed: true` counts as accounts.contact_count minus them,
-- instead of scanning every contact of a large account. Small, as few contacts unsubscribe.
-- (Prisma's schema language cannot say WHERE, so it lives here only, like the trigram index.)
CREATE INDEX "contacts_unsubscribed_idx" ON "contacts" ("account_id") WHERE "unsubscribed";

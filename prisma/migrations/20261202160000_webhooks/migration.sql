-- Webhooks (EVENTS.md): an account's endpoints, and one delivery per event and endpoint that
-- wants it, with its attempts so far.
CREATE TABLE "webhook_endpoints" (
  "id" TEXT NOT NULL,
  "account_id" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  "description" TEXT,
  -- Dotted event types (contact.created, …); empty means every type.
  "event_types" TEXT[] NOT NULL DEFAULT '{}',
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  -- whsec_ + base64 of the key bytes, as the Standard Webhooks libraries take it.
  "secret" TEXT NOT NULL,
  -- Why the service disabled it (every delivery failed for 5 days); null when enabled or disabled by hand.
  "disabled_reason" TEXT,
  -- Since when every attempt to it has failed; null after a success.
  "failing_since" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

  CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "webhook_endpoints_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE
);

CREATE INDEX "webhook_endpoints_account_idx" ON "webhook_endpoints" ("account_id", "created_at", "id");

CREATE TABLE "webhook_deliveries" (
  "id" TEXT NOT NULL,
  "endpoint_id" TEXT NOT NULL,
  "event_id" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'PENDING',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  -- When the next attempt is due (PENDING only; null once SUCCEEDED or FAILED).
  "next_attempt_at" TIMESTAMPTZ(3) DEFAULT now(),
  "last_attempt_at" TIMESTAMPTZ(3),
  "last_status_code" INTEGER,
  "last_error" TEXT,
  -- The first 1024 bytes of the last answer.
  "last_response_body" TEXT,
  "last_duration_ms" INTEGER,
  -- The claim of the instance making an attempt: no other instance takes the delivery until the
  -- lease runs out (so a crashed instance's claims are taken again), and only the claim's token
  -- records the attempt's outcome.
  "lease_expires_at" TIMESTAMPTZ(3),
  "lease_token" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

  CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE,
  CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE,
  CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('PENDING', 'SUCCEEDED', 'FAILED'))
);

CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_key" ON "webhook_deliveries" ("endpoint_id", "event_id");
-- The page of an endpoint's deliveries, newest first.
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" ("endpoint_id", "created_at", "id");
-- What the workers claim: due PENDING deliveries.
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'PENDING';
-- Retention deletes events; their deliveries go with them.
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" ("event_id");

-- Fan-out in the event's own transaction: one statement per INSERT into events, whatever its
-- number of rows, inserting one delivery per new event and enabled endpoint of its account that
-- wants its type. With no endpoint it is one join that finds nothing. An endpoint disabled when
-- the event is made gets no delivery of it, ever.
CREATE FUNCTION "webhook_fan_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "webhook_deliveries" ("id", "endpoint_id", "event_id", "next_attempt_at")
  SELECT 'whd_' || substr(md5(gen_random_uuid()::text), 1, 20), w."id", e."id", now()
  FROM new_events e
  JOIN "webhook_endpoints" w
    ON w."account_id" = e."account_id" AND w."enabled"
   AND (cardinality(w."event_types") = 0 OR e."type" = ANY (w."event_types"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "events_webhook_fan_out"
  AFTER INSERT ON "events" REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_fan_out"();

-- Events written by the statement that makes the change (EVENTS.md): every contact write (one
-- contact, the bulk upsert, the CSV import's batches) inserts its events from the rows its
-- INSERT, UPDATE or DELETE returns, in the same statement, so no event body travels to the
-- service and back and a single change is a single statement. These functions are the rules
-- those statements share; `previous` is computed here for every event (segments' too).

-- Public ids as src/core/ids.ts makes them: a prefix, "_", 20 lowercase alphanumerics.
CREATE FUNCTION "new_id"(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT prefix || '_' || substr(md5(gen_random_uuid()::text), 1, 20)
$$;

ALTER TABLE "events" ALTER COLUMN "id" SET DEFAULT new_id('evt');

-- An instant as the REST API's JSON spells it (Date.prototype.toISOString: UTC, milliseconds, Z).
CREATE FUNCTION "json_instant"(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A contact in the REST API's JSON (src/core/json.ts contactJson; the events tests hold the two equal).
CREATE FUNCTION "contact_json"(c "contacts") RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c.id, 'email', c.email, 'first_name', c.first_name, 'last_name', c.last_name,
    'properties', c.properties, 'unsubscribed', c.unsubscribed, 'unsubscribed_at', json_instant(c.unsubscribed_at),
    'created_at', json_instant(c.created_at), 'updated_at', json_instant(c.updated_at))
$$;

-- An event's `previous` (EVENTS.md): the fields of the object that changed, with their old values,
-- never updated_at; properties key by key (a removed key with its old value, an added one as
-- null). Empty when nothing changed, and then the change makes no event.
CREATE FUNCTION "event_previous"(before jsonb, after jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(f.key, CASE
      WHEN f.key = 'properties' AND jsonb_typeof(before -> f.key) = 'object' AND jsonb_typeof(after -> f.key) = 'object' THEN (
        SELECT jsonb_object_agg(k.key, coalesce(before -> f.key -> k.key, 'null'))
        FROM (SELECT jsonb_object_keys(before -> f.key) UNION SELECT jsonb_object_keys(after -> f.key)) k(key)
        WHERE (before -> f.key -> k.key) IS DISTINCT FROM (after -> f.key -> k.key))
      ELSE coalesce(before -> f.key, 'null') END), '{}')
  FROM (SELECT jsonb_object_keys(before) UNION SELECT jsonb_object_keys(after)) f(key)
  WHERE f.key <> 'updated_at' AND (before -> f.key) IS DISTINCT FROM (after -> f.key)
$$;

-- The type of the event of a contact's update (before and after as contact_json): an unsubscribe
-- or a resubscribe is named so (with the other changed fields in previous), anything else is
-- contact.updated.
CREATE FUNCTION "contact_update_type"(before jsonb, after jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN before -> 'unsubscribed' = after -> 'unsubscribed' THEN 'contact.updated'
              WHEN after -> 'unsubscribed' = 'true' THEN 'contact.unsubscribed' ELSE 'contact.resubscribed' END
$$;

-- Every statement that writes events also wakes the subscribers of every instance (LISTEN
-- contacts_events, the payload an account id) and fans out to webhooks, whoever wrote them:
-- one trigger, once per statement.
CREATE OR REPLACE FUNCTION "webhook_fan_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('contacts_events', a.account_id) FROM (SELECT DISTINCT account_id FROM new_events) a;
  INSERT INTO "webhook_deliveries" ("id", "endpoint_id", "event_id", "next_attempt_at")
  SELECT new_id('whd'), w."id", e."id", now()
  FROM new_events e
  JOIN "webhook_endpoints" w
    ON w."account_id" = e."account_id" AND w."enabled"
   AND (cardinality(w."event_types") = 0 OR e."type" = ANY (w."event_types"));
  RETURN NULL;
END
$$;
ALTER FUNCTION "webhook_fan_out"() RENAME TO "events_written";
ALTER TRIGGER "events_webhook_fan_out" ON "events" RENAME TO "events_written";

-- IDs made in SQL (events, webhook deliveries) in the layout of src/core/ids.ts: the second they
-- were made in 8 hex digits, then 12 random lowercase alphanumerics, so that bulk inserts add
-- their keys at the right edge of the primary-key index instead of on random pages of it.
-- The random part is the base64 of an MD5 of a random UUID, folded to lowercase with "+" and "/"
-- as "0" and "1" (about 61 bits; measured per row, translate() or a per-character loop cost
-- 1.5 to 2.5 times as much).
CREATE OR REPLACE FUNCTION "new_id"(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT prefix || '_' || lpad(to_hex(floor(extract(epoch FROM clock_timestamp()))::bigint), 8, '0')
    || substr(replace(replace(lower(encode(decode(md5(gen_random_uuid()::text), 'hex'), 'base64')), '+', '0'), '/', '1'), 1, 12)
$$;

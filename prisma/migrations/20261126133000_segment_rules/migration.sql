-- What dynamic segment rules compare with (SEMANTICS.md, Segments; src/domain/segments/values.ts
-- says the same in TypeScript). Rules compile to SQL over these functions; none of them ever
-- raises on an odd value: what does not read as a number or an instant is NULL, and matches nothing.

-- A number, when the text is one after trimming ASCII whitespace: an optional sign, digits with an
-- optional decimal part (or a bare fraction such as ".5"), an optional exponent of up to 3 digits.
-- "4500" and " 12 " read as numbers; "4,500", "", "true" and "1e9999" do not.
CREATE FUNCTION segment_number(value TEXT) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN btrim(value, E' \t\n\r') ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$'
                      THEN btrim(value, E' \t\n\r')::numeric END $$;

-- An instant, when the text is an ISO-8601 date or date-time after trimming ASCII whitespace:
-- YYYY-MM-DD, optionally followed by T (or a space) and HH:MM, optional :SS and fraction, optional
-- Z or +HH, +HHMM, +HH:MM. No zone means UTC; a bare date is midnight UTC. Calendar-checked
-- (2026-02-30 is no instant). Fractions beyond microseconds are cut. Computed from the parts,
-- never by a text cast, so it depends on no session setting and is truly immutable.
CREATE FUNCTION segment_instant(value TEXT) RETURNS TIMESTAMPTZ
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
    p TEXT[] := regexp_match(value,
        '^[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})'
        '(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?'
        '(?:[Zz]|([+-])([0-9]{2})(?::?([0-9]{2}))?)?[ \t\n\r]*$');
    y INT; mo INT; d INT; h INT; mi INT; s INT; zh INT; zm INT;
BEGIN
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    y := p[1]::int; mo := p[2]::int; d := p[3]::int;
    h := coalesce(p[4], '0')::int; mi := coalesce(p[5], '0')::int; s := coalesce(p[6], '0')::int;
    zh := coalesce(p[9], '0')::int; zm := coalesce(p[10], '0')::int;
    IF y < 1 OR mo NOT BETWEEN 1 AND 12 OR d < 1 OR h > 23 OR mi > 59 OR s > 59 OR zh > 23 OR zm > 59
       OR d > extract(day FROM make_date(y, mo, 1) + interval '1 month - 1 day') THEN
        RETURN NULL;
    END IF;
    RETURN (make_timestamp(y, mo, d, h, mi, s + coalesce(('0.' || left(p[7], 6))::float8, 0)) AT TIME ZONE 'UTC')
        - (CASE p[8] WHEN '-' THEN -1 ELSE 1 END) * make_interval(hours => zh, mins => zm);
END $$;

-- Every non-empty property of a contact as a term: the key and the lower-cased text of its value,
-- hashed (MD5 as a 16-byte UUID) so that a long value never outgrows an index entry. A property
-- EQUALS (or is IN) a rule's value exactly when the contact's terms contain the terms of
-- {key: value}, made by this same function; a false match would need an MD5 collision.
-- Only built-in functions inside: PostgreSQL 17+ computes it with a bare search_path.
CREATE FUNCTION segment_property_terms(properties JSONB) RETURNS UUID[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(md5(key || '=' || lower(value))::uuid), '{}') FROM jsonb_each_text(properties) WHERE value <> '' $$;

-- Stored, not only indexed: a rule tested row by row (a page scanned in list order, Contact.segments,
-- an ANY segment that needs a full scan) reads the terms instead of recomputing them, and the
-- planner has statistics on the column to estimate how many contacts a value selects.
ALTER TABLE "contacts" ADD COLUMN "property_terms" UUID[] GENERATED ALWAYS AS (segment_property_terms("properties")) STORED;

CREATE INDEX "contacts_property_terms_idx" ON "contacts" USING GIN ("property_terms");

-- The terms of `key` holding any of `vals`: what a rule compares property_terms with. Immutable,
-- so with the rule's values as parameters the planner computes it once, before estimating.
CREATE FUNCTION segment_value_terms(key TEXT, vals TEXT[]) RETURNS UUID[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(t), '{}') FROM unnest(vals) v, unnest(segment_property_terms(jsonb_build_object(key, v))) t $$;

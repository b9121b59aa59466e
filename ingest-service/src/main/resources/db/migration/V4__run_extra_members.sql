-- Readers are tolerant (D3): a top-level member of an event's data that the schema of its type does not define (an
-- optional field of a newer client) is kept with its run rather than dead-lettered. extra holds them by member name,
-- the value as sent; a later event's member of the same name overwrites an earlier one (in the order the run's
-- events are stored, that of its partition).
--
-- Adding a column with a constant default rewrites nothing. query-service already reads runs (GRANT SELECT in V3 is
-- on the whole table, so it covers this column) under the same row-level security policy.
ALTER TABLE runs ADD COLUMN extra jsonb NOT NULL DEFAULT '{}';

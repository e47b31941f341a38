-- An RFC's due date becomes a filter column (`due_from`, `due_to` and
-- `sort=due`), as SQLite's migration 14 makes it: the start of the day in
-- UTC as whole seconds, NULL without a due date. The sort puts RFCs
-- without one last, so its index is on the expression the query orders by.
ALTER TABLE rfcs ADD COLUMN due_on BIGINT;
UPDATE rfcs
SET due_on = extract(epoch FROM (fields::jsonb ->> 'due_on')::date)::bigint
WHERE jsonb_typeof(fields::jsonb -> 'due_on') = 'string';
CREATE INDEX rfcs_due ON rfcs (coalesce(due_on, 9223372036854775807), id);

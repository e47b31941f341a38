-- An RFC's due date becomes a filter column (issue 11: `due_from`,
-- `due_to` and `sort=due`): the start of the day in UTC as whole seconds,
-- as every instant filter column holds, NULL without a due date. The sort
-- puts RFCs without one last, so its index is on the same expression the
-- query orders by.
ALTER TABLE rfcs ADD COLUMN due_on INTEGER;
UPDATE rfcs SET due_on = unixepoch(json_extract(fields, '$.due_on'))
WHERE json_type(fields, '$.due_on') = 'text';
CREATE INDEX rfcs_due ON rfcs (coalesce(due_on, 9223372036854775807), id);

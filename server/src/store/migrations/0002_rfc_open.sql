-- The triage queue's "All open" view: an RFC is open until it is closed or
-- withdrawn. The API keeps a read-only `open` field on every RFC; this
-- column mirrors it for the `open` filter, with an index per sort the
-- queue uses.
ALTER TABLE rfcs ADD COLUMN open INTEGER;
UPDATE rfcs SET open = CASE WHEN status IN ('closed', 'withdrawn') THEN 0 ELSE 1 END;
CREATE INDEX rfcs_open_priority ON rfcs (open, priority_rank, id);
CREATE INDEX rfcs_open_updated ON rfcs (open, updated_ns, id);
CREATE INDEX rfcs_open ON rfcs (open, id);

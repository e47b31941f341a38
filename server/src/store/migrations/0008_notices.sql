-- Notices to customers: the generic leading columns and one column per
-- list filter (see 0001_initial.sql). `ends_at` holds the end as whole
-- seconds since the epoch (NULL: open-ended), which the `active` filter
-- compares with the time of the read; `service_ids` is in list_values.
CREATE TABLE notices (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    ends_at INTEGER,
    kind TEXT
);
CREATE INDEX notices_ends ON notices (ends_at, id);
CREATE INDEX notices_kind ON notices (kind, id);
CREATE INDEX notices_updated ON notices (updated_ns, id);

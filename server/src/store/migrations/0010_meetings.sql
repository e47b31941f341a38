-- Meetings with customers: the generic leading columns and one column per
-- list filter (see 0001_initial.sql). `starts_at` holds the start as whole
-- seconds since the epoch, which the `from` and `to` filters compare;
-- `team_id` is the customer's team, copied when the meeting is written.
CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    kind TEXT,
    customer_id TEXT,
    team_id TEXT,
    starts_at INTEGER
);
CREATE INDEX meetings_customer ON meetings (customer_id, id);
CREATE INDEX meetings_team ON meetings (team_id, id);
CREATE INDEX meetings_kind ON meetings (kind, id);
CREATE INDEX meetings_starts ON meetings (starts_at, id);
CREATE INDEX meetings_updated ON meetings (updated_ns, id);

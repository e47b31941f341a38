-- The continual service improvement register: the generic leading columns
-- and one column per list filter (see 0001_initial.sql).
CREATE TABLE improvements (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    status TEXT,
    source TEXT,
    owner_id TEXT
);
CREATE INDEX improvements_customer ON improvements (customer_id, id);
CREATE INDEX improvements_status ON improvements (status, id);
CREATE INDEX improvements_source ON improvements (source, id);
CREATE INDEX improvements_owner ON improvements (owner_id, id);
CREATE INDEX improvements_updated ON improvements (updated_ns, id);

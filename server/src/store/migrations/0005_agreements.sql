-- Agreements with customers: the generic leading columns and one column
-- per list filter (see 0001_initial.sql). `status` is the stored status;
-- the expiry read from `valid_to` is derived on read.
CREATE TABLE agreements (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    status TEXT
);
CREATE INDEX agreements_customer ON agreements (customer_id, id);
CREATE INDEX agreements_status ON agreements (status, id);
CREATE INDEX agreements_updated ON agreements (updated_ns, id);

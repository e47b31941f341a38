-- rapport's first schema. Portable SQL on purpose (plain types, explicit
-- columns, no JSON functions): the PostgreSQL store will start from the same
-- shape. Timestamps are integer nanoseconds since the Unix epoch (UTC) so
-- they sort as numbers; ids are UUID v7 text, which sorts by creation.
--
-- Every collection has its own table with the same leading columns
--   id, version, created_ns, updated_ns, search, fields
-- followed by one column per text or boolean list filter (named after the
-- filtered field; NULL when the record has no value, so it never matches).
-- `search` is the lower-cased text of the collection's search fields;
-- `fields` is the record's JSON object.

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    active INTEGER
);
CREATE INDEX staff_active ON staff (active, id);
CREATE INDEX staff_updated ON staff (updated_ns, id);

CREATE TABLE customers (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT,
    team_id TEXT
);
CREATE INDEX customers_status ON customers (status, id);
CREATE INDEX customers_team ON customers (team_id, id);
CREATE INDEX customers_updated ON customers (updated_ns, id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    role TEXT
);
CREATE INDEX contacts_customer ON contacts (customer_id, id);
CREATE INDEX contacts_role ON contacts (role, id);
CREATE INDEX contacts_updated ON contacts (updated_ns, id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL
);
CREATE INDEX teams_updated ON teams (updated_ns, id);

CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    owner_id TEXT
);
CREATE INDEX services_owner ON services (owner_id, id);
CREATE INDEX services_updated ON services (updated_ns, id);

-- RFCs are the large collection (the bench fills a million). Each common
-- filter has an index per sort order it is listed in, ending in `id` so a
-- keyset page is one index range scan with no sort step. `priority_rank`
-- is 0 (critical) .. 3 (low), 4 when the record has no known priority.
CREATE TABLE rfcs (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    priority_rank INTEGER NOT NULL,
    status TEXT,
    route TEXT,
    customer_id TEXT,
    assignee_id TEXT,
    priority TEXT,
    service_id TEXT
);
CREATE INDEX rfcs_priority_order ON rfcs (priority_rank, id);
CREATE INDEX rfcs_updated ON rfcs (updated_ns, id);
CREATE INDEX rfcs_status ON rfcs (status, id);
CREATE INDEX rfcs_status_priority ON rfcs (status, priority_rank, id);
CREATE INDEX rfcs_status_updated ON rfcs (status, updated_ns, id);
CREATE INDEX rfcs_route ON rfcs (route, id);
CREATE INDEX rfcs_customer ON rfcs (customer_id, id);
CREATE INDEX rfcs_customer_priority ON rfcs (customer_id, priority_rank, id);
CREATE INDEX rfcs_assignee ON rfcs (assignee_id, id);
CREATE INDEX rfcs_assignee_priority ON rfcs (assignee_id, priority_rank, id);
CREATE INDEX rfcs_priority ON rfcs (priority, id);
CREATE INDEX rfcs_service ON rfcs (service_id, id);

CREATE TABLE rfc_comments (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    rfc_id TEXT
);
CREATE INDEX rfc_comments_rfc ON rfc_comments (rfc_id, id);
CREATE INDEX rfc_comments_updated ON rfc_comments (updated_ns, id);

CREATE TABLE rfc_transitions (
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    rfc_id TEXT
);
CREATE INDEX rfc_transitions_rfc ON rfc_transitions (rfc_id, id);
CREATE INDEX rfc_transitions_updated ON rfc_transitions (updated_ns, id);

-- The values of list fields that a `ListContains` filter looks in
-- (staff `job_roles`): one row per record, field and distinct value.
CREATE TABLE list_values (
    collection TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (collection, field, value, record_id)
);
CREATE INDEX list_values_record ON list_values (record_id);

-- References between records: checked on write, counted on delete, read
-- back for derived fields (a team's customers).
CREATE TABLE links (
    from_collection TEXT NOT NULL,
    from_id TEXT NOT NULL,
    field TEXT NOT NULL,
    to_collection TEXT NOT NULL,
    to_id TEXT NOT NULL,
    PRIMARY KEY (from_id, field, to_id)
);
CREATE INDEX links_target ON links (to_id, from_collection, field);

-- Values that must be unique within a collection (customer codes).
CREATE TABLE uniques (
    collection TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (collection, field, value)
);
CREATE INDEX uniques_record ON uniques (record_id);

-- The audit trail and change feed in one: each op of a write is one row,
-- its `seq` the change sequence number. `before`/`after` are the full
-- record JSON (NULL for create/delete respectively).
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY NOT NULL,
    at_ns BIGINT NOT NULL,
    who TEXT NOT NULL,
    who_staff_id TEXT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit (entity_id, seq);

-- Idempotency keys, per token, with what the first request created.
CREATE TABLE idempotency_keys (
    token_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    collection TEXT NOT NULL,
    record_json TEXT NOT NULL,
    created_ns BIGINT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ns);

-- API tokens: only a hash of the secret is kept.
CREATE TABLE tokens (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    permission TEXT NOT NULL,
    staff_id TEXT,
    secret_hash TEXT NOT NULL UNIQUE,
    created_ns BIGINT NOT NULL,
    revoked INTEGER NOT NULL
);
CREATE INDEX tokens_name ON tokens (name);

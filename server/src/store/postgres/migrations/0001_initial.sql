-- rapport's schema on PostgreSQL, as SQLite's stands after its migration
-- 13 (server/src/store/migrations/): the same tables, columns and indexes,
-- so the shared SQL (server/src/store/sql.rs) runs on both. Integers are
-- BIGINT throughout (the store binds every number as one); ids compare
-- byte by byte (COLLATE "C") whatever the database's collation, since
-- pages follow them in order. Timestamps are nanoseconds since the epoch.
--
-- `q` on the large collections (RFCs, customers, contacts) is helped by a
-- pg_trgm index on `search`, which PostgreSQL uses for the same
-- `LIKE '%q%'` the store sends either way: results never differ from a scan.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- The change numbers: one row, taken FOR UPDATE first by every writing
-- transaction and advanced by its ops before it commits, so writers run
-- one at a time and numbers follow commit order (ARCHITECTURE.md).
CREATE TABLE change_counter (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    last_seq BIGINT NOT NULL
);
INSERT INTO change_counter (one, last_seq) VALUES (TRUE, 0);

CREATE TABLE staff (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    active BIGINT
);
CREATE INDEX staff_active ON staff (active, id);
CREATE INDEX staff_updated ON staff (updated_ns, id);

CREATE TABLE customers (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT,
    team_id TEXT,
    kind TEXT
);
CREATE INDEX customers_status ON customers (status, id);
CREATE INDEX customers_team ON customers (team_id, id);
CREATE INDEX customers_updated ON customers (updated_ns, id);
CREATE INDEX customers_kind ON customers (kind, id);

CREATE TABLE contacts (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
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
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL
);
CREATE INDEX teams_updated ON teams (updated_ns, id);

CREATE TABLE services (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    owner_id TEXT
);
CREATE INDEX services_owner ON services (owner_id, id);
CREATE INDEX services_updated ON services (updated_ns, id);

CREATE TABLE rfcs (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    status TEXT,
    route TEXT,
    customer_id TEXT,
    assignee_id TEXT,
    priority TEXT,
    service_id TEXT,
    open BIGINT
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
CREATE INDEX rfcs_open_priority ON rfcs (open, priority_rank, id);
CREATE INDEX rfcs_open_updated ON rfcs (open, updated_ns, id);
CREATE INDEX rfcs_open ON rfcs (open, id);

CREATE TABLE rfc_comments (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
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
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    rfc_id TEXT
);
CREATE INDEX rfc_transitions_rfc ON rfc_transitions (rfc_id, id);
CREATE INDEX rfc_transitions_updated ON rfc_transitions (updated_ns, id);

CREATE TABLE improvements (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
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

CREATE TABLE activities (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    horizon TEXT,
    status TEXT,
    owner_id TEXT
);
CREATE INDEX activities_customer ON activities (customer_id, id);
CREATE INDEX activities_horizon ON activities (horizon, id);
CREATE INDEX activities_status ON activities (status, id);
CREATE INDEX activities_owner ON activities (owner_id, id);
CREATE INDEX activities_updated ON activities (updated_ns, id);

CREATE TABLE budget_lines (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    year BIGINT,
    service_id TEXT
);
CREATE INDEX budget_lines_customer ON budget_lines (customer_id, id);
CREATE INDEX budget_lines_year ON budget_lines (year, id);
CREATE INDEX budget_lines_service ON budget_lines (service_id, id);
CREATE INDEX budget_lines_updated ON budget_lines (updated_ns, id);

CREATE TABLE agreements (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
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

CREATE TABLE level_results (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    agreement_id TEXT,
    month TEXT
);
CREATE INDEX level_results_agreement ON level_results (agreement_id, id);
CREATE INDEX level_results_month ON level_results (month, id);
CREATE INDEX level_results_updated ON level_results (updated_ns, id);

CREATE TABLE usage (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    service_id TEXT,
    month TEXT
);
CREATE INDEX usage_customer ON usage (customer_id, id);
CREATE INDEX usage_service ON usage (service_id, id);
CREATE INDEX usage_month ON usage (month, id);
CREATE INDEX usage_updated ON usage (updated_ns, id);

CREATE TABLE notices (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    ends_at BIGINT,
    kind TEXT
);
CREATE INDEX notices_ends ON notices (ends_at, id);
CREATE INDEX notices_kind ON notices (kind, id);
CREATE INDEX notices_updated ON notices (updated_ns, id);

CREATE TABLE surveys (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT
);
CREATE INDEX surveys_status ON surveys (status, id);
CREATE INDEX surveys_updated ON surveys (updated_ns, id);

CREATE TABLE survey_responses (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    survey_id TEXT,
    customer_id TEXT
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id, id);
CREATE INDEX survey_responses_updated ON survey_responses (updated_ns, id);

CREATE TABLE meetings (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    kind TEXT,
    customer_id TEXT,
    team_id TEXT,
    starts_at BIGINT
);
CREATE INDEX meetings_customer ON meetings (customer_id, id);
CREATE INDEX meetings_team ON meetings (team_id, id);
CREATE INDEX meetings_kind ON meetings (kind, id);
CREATE INDEX meetings_starts ON meetings (starts_at, id);
CREATE INDEX meetings_updated ON meetings (updated_ns, id);

CREATE INDEX rfcs_search ON rfcs USING gin (search gin_trgm_ops);
CREATE INDEX customers_search ON customers USING gin (search gin_trgm_ops);
CREATE INDEX contacts_search ON contacts USING gin (search gin_trgm_ops);

CREATE TABLE list_values (
    collection TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (collection, field, value, record_id)
);
CREATE INDEX list_values_record ON list_values (record_id);

CREATE TABLE links (
    from_collection TEXT NOT NULL,
    from_id TEXT NOT NULL,
    field TEXT NOT NULL,
    to_collection TEXT NOT NULL,
    to_id TEXT NOT NULL,
    PRIMARY KEY (from_id, field, to_id)
);
CREATE INDEX links_target ON links (to_id, from_collection, field);

CREATE TABLE uniques (
    collection TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (collection, field, value)
);
CREATE INDEX uniques_record ON uniques (record_id);

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

CREATE TABLE tokens (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    permission TEXT NOT NULL,
    staff_id TEXT,
    secret_hash TEXT NOT NULL UNIQUE,
    created_ns BIGINT NOT NULL,
    revoked BIGINT NOT NULL,
    expires_ns BIGINT
);
CREATE INDEX tokens_name ON tokens (name);

-- The activity plan and the budget per customer: the generic leading
-- columns and one column per list filter (see 0001_initial.sql); a budget
-- line's year is a whole number, kept as one.
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    search TEXT NOT NULL,
    fields TEXT NOT NULL,
    customer_id TEXT,
    year INTEGER,
    service_id TEXT
);
CREATE INDEX budget_lines_customer ON budget_lines (customer_id, id);
CREATE INDEX budget_lines_year ON budget_lines (year, id);
CREATE INDEX budget_lines_service ON budget_lines (service_id, id);
CREATE INDEX budget_lines_updated ON budget_lines (updated_ns, id);

-- Surveys and their responses (one per survey and contact, kept in
-- `uniques`): the generic leading columns and one column per list filter
-- (see 0001_initial.sql).
CREATE TABLE surveys (
    id TEXT PRIMARY KEY NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL,
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

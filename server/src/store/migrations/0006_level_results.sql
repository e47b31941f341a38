-- Service level results, one per agreement, metric and month (kept in
-- `uniques`): the generic leading columns and one column per list filter
-- (see 0001_initial.sql).
CREATE TABLE level_results (
    id TEXT PRIMARY KEY NOT NULL,
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

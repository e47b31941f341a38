-- Usage and the price history it is charged from: the generic leading
-- columns and one column per list filter (see 0001_initial.sql); every
-- service with a unit price gets a history starting when it was created.
CREATE TABLE usage (
    id TEXT PRIMARY KEY NOT NULL,
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

UPDATE services SET fields = json_set(fields, '$.price_history', json_array(json_object(
    'from', strftime('%Y-%m-%dT%H:%M:%SZ', created_ns / 1000000000, 'unixepoch'),
    'unit_price_cents', json_extract(fields, '$.unit_price_cents'))))
WHERE json_type(fields, '$.price_history') IS NULL;

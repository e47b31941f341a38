-- A customer's kind is a closed vocabulary (issue 11): ministry, agency,
-- business_unit, municipality or other. The free text written before is
-- brought to those words (the demo's and the scale seeder's kinds map to
-- their own word, anything else to other; blank becomes no kind), without
-- a new version: the record says the same thing in the vocabulary's words.
-- The kind is also a list filter, so it gets the filter column.
UPDATE customers
SET fields = json_set(
    fields,
    '$.kind',
    CASE lower(trim(json_extract(fields, '$.kind')))
        WHEN '' THEN NULL
        WHEN 'ministry' THEN 'ministry'
        WHEN 'central ministry' THEN 'ministry'
        WHEN 'agency' THEN 'agency'
        WHEN 'business unit' THEN 'business_unit'
        WHEN 'business_unit' THEN 'business_unit'
        WHEN 'municipality' THEN 'municipality'
        ELSE 'other'
    END
)
WHERE json_type(fields, '$.kind') = 'text';

ALTER TABLE customers ADD COLUMN kind TEXT;
UPDATE customers SET kind = json_extract(fields, '$.kind');
CREATE INDEX customers_kind ON customers (kind, id);

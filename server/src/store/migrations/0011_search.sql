-- `q` on the large collections served by an index instead of a LIKE scan:
-- an FTS5 table per collection with the trigram tokenizer, which finds any
-- substring of three characters or more, as `LIKE '%q%'` does. The indexed
-- text is the record's `search` column and its id (a short id is the end
-- of an id); the FTS row's rowid is the record row's. Contentless
-- (`content=''`, the text is not stored twice) with `contentless_delete=1`
-- so a row is removed by its rowid alone. Triggers keep it in step with
-- every write; the rows already there are indexed below.
--
-- The API re-checks every candidate with the same LIKE as before, so the
-- index decides only which rows are looked at, never what matches. Shorter
-- queries (trigrams cannot match them) keep the LIKE scan. VACUUM may
-- renumber rowids (these tables have a text primary key): after one,
-- re-index with the DELETE and INSERT ... SELECT of this file.

CREATE VIRTUAL TABLE rfcs_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO rfcs_search (rowid, text) SELECT rowid, search || char(10) || id FROM rfcs;
CREATE TRIGGER rfcs_search_insert AFTER INSERT ON rfcs BEGIN
    INSERT INTO rfcs_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER rfcs_search_update AFTER UPDATE OF search ON rfcs
WHEN old.search IS NOT new.search BEGIN
    DELETE FROM rfcs_search WHERE rowid = old.rowid;
    INSERT INTO rfcs_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER rfcs_search_delete AFTER DELETE ON rfcs BEGIN
    DELETE FROM rfcs_search WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE customers_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO customers_search (rowid, text) SELECT rowid, search || char(10) || id FROM customers;
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF search ON customers
WHEN old.search IS NOT new.search BEGIN
    DELETE FROM customers_search WHERE rowid = old.rowid;
    INSERT INTO customers_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    DELETE FROM customers_search WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE contacts_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO contacts_search (rowid, text) SELECT rowid, search || char(10) || id FROM contacts;
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search ON contacts
WHEN old.search IS NOT new.search BEGIN
    DELETE FROM contacts_search WHERE rowid = old.rowid;
    INSERT INTO contacts_search (rowid, text) VALUES (new.rowid, new.search || char(10) || new.id);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_search WHERE rowid = old.rowid;
END;

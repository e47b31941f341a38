-- A token may expire: the instant it stops being accepted (nanoseconds
-- since the epoch, as created_ns); NULL never expires.
ALTER TABLE tokens ADD COLUMN expires_ns BIGINT;

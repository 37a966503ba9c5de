-- The audit log's lists sorted by user or by record type read an index instead of sorting the whole
-- log. Text sorts go by bytes on both databases (db::TextOrder: COLLATE "C" on PostgreSQL), so on
-- PostgreSQL the two columns take the "C" collation: their indexes then serve that order, and equality
-- filters are unchanged (every collation of a UTF-8 database compares text for equality by its bytes).
-- SQLite's columns already compare bytes (BINARY). No stored value changes.
-- @postgres
ALTER TABLE audit_log ALTER COLUMN username TYPE TEXT COLLATE "C"
-- @end
-- @postgres
ALTER TABLE audit_log ALTER COLUMN record_type TYPE TEXT COLLATE "C"
-- @end
-- The record index (record_type, record_id, id) orders by record type but not by id within a type.
CREATE INDEX audit_log_record_type ON audit_log (record_type, id);

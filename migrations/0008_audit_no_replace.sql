-- SQLite's INSERT OR REPLACE deletes the conflicting row without firing DELETE triggers (unless
-- recursive_triggers is on), so it slipped past audit_log_no_delete. Refuse an insert whose id is
-- taken. PostgreSQL needs nothing: INSERT … ON CONFLICT DO UPDATE fires audit_log_no_change.
-- @sqlite
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @end

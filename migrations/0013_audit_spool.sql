-- How far the chain has folded the audit spool of a SQLite database (audit/audit_spool.h): the spool
-- file's identity and the last seq folded, written in the same transaction as the folded entries.
-- PostgreSQL has no spool; the columns stay at their defaults there.
ALTER TABLE audit_head ADD COLUMN spool_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN spooled_through BIGINT NOT NULL DEFAULT 0;

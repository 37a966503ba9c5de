-- Platform foundation: administrative areas, accounts, sessions, audit log.
-- Timestamps are ISO-8601 UTC text (sortable, identical on both databases); dates are YYYY-MM-DD text.

CREATE TABLE areas (
  code        TEXT PRIMARY KEY,          -- MA-01, MA-01.511, MA-01.511.01.01, DZ-16, DZ-1607
  country     TEXT NOT NULL,             -- MA | DZ
  level       TEXT NOT NULL,             -- region | province | commune
  name_ar     TEXT NOT NULL,
  name_fr     TEXT NOT NULL,
  kind        TEXT NULL,                 -- prefecture/province, urban/rural, …
  lat         DOUBLE PRECISION NULL,
  lon         DOUBLE PRECISION NULL,
  population  BIGINT NULL,               -- 2024 census where the source has it
  households  BIGINT NULL,
  valid_from  TEXT NOT NULL DEFAULT '0000-01-01',  -- e.g. Algerian wilayas 59–69: 2027-01-01
  valid_to    TEXT NOT NULL DEFAULT '9999-12-31'
);
CREATE INDEX areas_country_level ON areas (country, level);

-- Parent links carry validity because Algerian communes change wilaya on reform dates.
CREATE TABLE area_parents (
  code        TEXT NOT NULL REFERENCES areas (code),
  parent_code TEXT NOT NULL REFERENCES areas (code),
  valid_from  TEXT NOT NULL,
  valid_to    TEXT NOT NULL,
  PRIMARY KEY (code, valid_from)
);
CREATE INDEX area_parents_parent ON area_parents (parent_code);

-- Transitive closure (self included at depth 0) so that area scopes are one indexed join in every
-- store query: "records whose commune lies under the caller's scope on that day".
CREATE TABLE area_ancestors (
  ancestor    TEXT NOT NULL,
  descendant  TEXT NOT NULL,
  depth       BIGINT NOT NULL,
  valid_from  TEXT NOT NULL,
  valid_to    TEXT NOT NULL,
  PRIMARY KEY (ancestor, descendant, valid_from)
);
CREATE INDEX area_ancestors_descendant ON area_ancestors (descendant);

CREATE TABLE reference_data (
  name       TEXT PRIMARY KEY,
  checksum   TEXT NOT NULL,
  loaded_at  TEXT NOT NULL
);

CREATE TABLE users (
  id                  {{ID}},
  username            TEXT NOT NULL UNIQUE,
  password_hash       TEXT NOT NULL,       -- libsodium argon2id string
  area_code           TEXT NULL REFERENCES areas (code),
  active              BIGINT NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

CREATE TABLE user_roles (
  user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role     TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
);

-- Browser sessions and bearer tokens. Only a SHA-256 of the secret is stored.
CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,             -- browser | bearer
  csrf_token    TEXT NULL,
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  expires_at    TEXT NOT NULL,             -- absolute expiry
  ip            TEXT NOT NULL,
  revoked       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only, hash-chained audit log. id is assigned by the appender under the audit_head row lock,
-- so chain order is id order on both databases.
CREATE TABLE audit_log (
  id           BIGINT PRIMARY KEY,
  at           TEXT NOT NULL,
  user_id      BIGINT NULL,
  username     TEXT NOT NULL,
  action       TEXT NOT NULL,
  record_type  TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  ip           TEXT NOT NULL,
  request_id   TEXT NOT NULL,
  details      TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (username, id);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
  singleton  BIGINT PRIMARY KEY CHECK (singleton = 1),
  last_id    BIGINT NOT NULL,
  last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The database itself refuses to rewrite history (the hash chain detects what bypasses this).
-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @end
-- @sqlite
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @end
-- @postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$;
-- @end
-- @postgres
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- @end

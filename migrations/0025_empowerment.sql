-- Women's economic empowerment (src/empowerment, docs/empowerment.md): cooperatives, the women's public
-- registrations (reached by a tracking code of which only the SHA-256 is stored), their public notes and
-- the probable duplicates the record-linkage check found between registrations.

-- A cooperative as an organisation: women registering as members name it by its registration number.
CREATE TABLE empowerment_cooperatives (
  id                      {{ID}},
  registration_number     TEXT NOT NULL,
  name                    TEXT NOT NULL,
  sector                  TEXT NULL,                -- agriculture | crafts | food | textile | services | other
  commune_code            TEXT NOT NULL,
  created_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX empowerment_cooperatives_number ON empowerment_cooperatives (registration_number);

CREATE TABLE empowerment_registrations (
  id                      {{ID}},
  code_hash               TEXT NOT NULL,            -- SHA-256 (hex) of the tracking code, never the code
  status                  TEXT NOT NULL,            -- incomplete | complete
  kind                    TEXT NOT NULL,            -- auto_entrepreneur | cooperative_member
  ae_number               TEXT NULL,                -- auto-entrepreneur number, when she has one
  cooperative_id          BIGINT NULL REFERENCES empowerment_cooperatives (id),
  given_name_ar           TEXT NULL,
  family_name_ar          TEXT NULL,
  given_name_lat          TEXT NULL,
  family_name_lat         TEXT NULL,
  given_key               TEXT NOT NULL,            -- text::CrossScriptKey, the duplicate check's blocking keys
  family_key              TEXT NOT NULL,
  birth_date              TEXT NOT NULL,
  national_id             TEXT NULL,
  phone                   TEXT NOT NULL,
  commune_code            TEXT NOT NULL,            -- scope
  education               TEXT NULL,
  situations              TEXT NOT NULL,            -- JSON array: widow, divorced, head_of_household, disability
  skills                  TEXT NOT NULL,            -- JSON array of short texts
  project_idea            TEXT NULL,
  person_id               BIGINT NULL,              -- her registry person, when the check linked one
  person_probability      DOUBLE PRECISION NULL,
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  completed_at            TEXT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX empowerment_registrations_code ON empowerment_registrations (code_hash);
CREATE INDEX empowerment_registrations_family_key ON empowerment_registrations (family_key);
CREATE INDEX empowerment_registrations_given_birth ON empowerment_registrations (given_key, birth_date);
CREATE INDEX empowerment_registrations_national_id ON empowerment_registrations (national_id);
CREATE INDEX empowerment_registrations_phone ON empowerment_registrations (phone);
CREATE INDEX empowerment_registrations_commune ON empowerment_registrations (commune_code, id);
CREATE INDEX empowerment_registrations_cooperative ON empowerment_registrations (cooperative_id);

-- Notes on a file written by staff; public ones are shown on her status page.
CREATE TABLE empowerment_notes (
  id                      {{ID}},
  registration_id         BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  is_public               BIGINT NOT NULL,          -- 1: shown to her by tracking code
  body                    TEXT NOT NULL,
  written_at              TEXT NOT NULL,
  written_by              TEXT NOT NULL
);
CREATE INDEX empowerment_notes_registration ON empowerment_notes (registration_id, id);

-- Probable duplicates: the later registration against the earlier one, with the linkage probability.
CREATE TABLE empowerment_duplicates (
  registration_id         BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  other_id                BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  probability             DOUBLE PRECISION NOT NULL,
  found_at                TEXT NOT NULL,
  PRIMARY KEY (registration_id, other_id)
);
CREATE INDEX empowerment_duplicates_other ON empowerment_duplicates (other_id);

-- Family counselling (src/counselling, docs/counselling.md; issue 11 §4): counsellors with their
-- specialties, languages, pool and area; their weekly availability and leave days; bookings of slots
-- for counselling requests (e-services) or walk-ins; session records with notes sealed by the
-- application (the key never reaches the database); the outbox of confirmations, reminders and
-- cancellations sent by SMS or e-mail.

CREATE TABLE counsellors (
  id                      {{ID}},
  user_id                 BIGINT NOT NULL UNIQUE REFERENCES users (id),  -- the counsellor's own account
  given_name              TEXT NOT NULL,
  family_name             TEXT NOT NULL,
  specialties             TEXT NOT NULL,           -- comma-separated: family,couple,parenting,bereavement,health_workers_families
  languages               TEXT NOT NULL,           -- comma-separated: ar,fr,amazigh,en
  pool                    TEXT NOT NULL,           -- family | white_army (eservices' counsellor pools)
  area_code               TEXT NOT NULL REFERENCES areas (code),  -- scope: coordinators of this area see them
  active                  INTEGER NOT NULL DEFAULT 1,
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX counsellors_pool ON counsellors (pool, active);

-- Weekly availability in local time (UTC+1 all year in Morocco and Algeria), cut into slots.
CREATE TABLE counsellor_availability (
  counsellor_id           BIGINT NOT NULL REFERENCES counsellors (id),
  weekday                 INTEGER NOT NULL,        -- 0 = Sunday … 6 = Saturday
  starts                  TEXT NOT NULL,           -- HH:MM local
  ends                    TEXT NOT NULL,           -- HH:MM local, after starts (same day)
  slot_minutes            INTEGER NOT NULL
);
CREATE INDEX counsellor_availability_counsellor ON counsellor_availability (counsellor_id);

-- Days off (leave, training): no slot on these local dates.
CREATE TABLE counsellor_leave (
  counsellor_id           BIGINT NOT NULL REFERENCES counsellors (id),
  day                     TEXT NOT NULL,           -- YYYY-MM-DD local
  reason                  TEXT NULL,
  PRIMARY KEY (counsellor_id, day)
);

CREATE TABLE counselling_bookings (
  id                      {{ID}},
  counsellor_id           BIGINT NOT NULL REFERENCES counsellors (id),
  slot_start              TEXT NOT NULL,           -- UTC timestamp (core/time.h format)
  slot_end                TEXT NOT NULL,
  area_code               TEXT NOT NULL,           -- the counsellor's area when booked (scope)
  request_id              BIGINT NULL,             -- the e-service counselling request (eservice_reports.id)
  client_name             TEXT NULL,               -- a walk-in's name, or the request's contact
  client_phone            TEXT NULL,
  client_email            TEXT NULL,
  client_language         TEXT NOT NULL,           -- ar | fr | en: the language of the messages sent
  channel                 TEXT NOT NULL,           -- phone | video | in_person
  status                  TEXT NOT NULL,           -- booked | cancelled | attended | no_show
  rescheduled_from        BIGINT NULL REFERENCES counselling_bookings (id),
  booked_at               TEXT NOT NULL,
  booked_by               TEXT NOT NULL,
  cancelled_at            TEXT NULL,
  cancelled_by            TEXT NULL,
  cancel_reason           TEXT NULL,
  recorded_at             TEXT NULL,               -- attended / no_show recorded
  recorded_by             TEXT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
-- A slot is never booked twice: at most one live (not cancelled) booking per counsellor and start,
-- whatever the number of concurrent requests (the second insert fails; the API answers 409).
CREATE UNIQUE INDEX counselling_bookings_live ON counselling_bookings (counsellor_id, slot_start)
  WHERE status <> 'cancelled';
CREATE INDEX counselling_bookings_request ON counselling_bookings (request_id);
CREATE INDEX counselling_bookings_phone ON counselling_bookings (client_phone);
CREATE INDEX counselling_bookings_slot ON counselling_bookings (slot_start, status);

-- Confidential session notes: sealed (XChaCha20-Poly1305) with the booking as associated data.
CREATE TABLE counselling_session_notes (
  id                      {{ID}},
  booking_id              BIGINT NOT NULL REFERENCES counselling_bookings (id),
  sealed                  TEXT NOT NULL,
  written_at              TEXT NOT NULL,
  written_by              TEXT NOT NULL
);
CREATE INDEX counselling_session_notes_booking ON counselling_session_notes (booking_id, id);

-- Outgoing messages: a catalogue code and its parameters, rendered in the client's language when sent
-- (no text is stored). Delivery retries failures with exponential backoff up to a limit.
CREATE TABLE counselling_outbox (
  id                      {{ID}},
  booking_id              BIGINT NULL REFERENCES counselling_bookings (id),
  kind                    TEXT NOT NULL,           -- confirmation | reminder | cancellation
  channel                 TEXT NOT NULL,           -- sms | email
  recipient               TEXT NOT NULL,
  language                TEXT NOT NULL,           -- ar | fr | en
  message_code            TEXT NOT NULL,           -- i18n catalogue code
  params                  TEXT NOT NULL,           -- JSON object of the code's parameters
  status                  TEXT NOT NULL,           -- pending | sent | failed
  attempts                INTEGER NOT NULL DEFAULT 0,
  next_attempt_at         TEXT NOT NULL,
  last_error              TEXT NULL,
  created_at              TEXT NOT NULL,
  sent_at                 TEXT NULL
);
CREATE INDEX counselling_outbox_due ON counselling_outbox (status, next_attempt_at);
-- One reminder per booking and channel, however many delivery passes see it.
CREATE UNIQUE INDEX counselling_outbox_reminder ON counselling_outbox (booking_id, channel) WHERE kind = 'reminder';

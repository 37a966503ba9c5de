-- What the author of a change request sees of it: their own requests (listed by author), its
-- withdrawal (status 'withdrawn', reviewed_at = when it was withdrawn, no reviewer), and a notice
-- when a reviewer decides it. A notice is a message code with its parameters (JSON object), rendered
-- in the reader's language when read; it is written in the transaction of the decision itself.
CREATE TABLE notifications (
  id                      {{ID}},
  user_id                 BIGINT NOT NULL,          -- the recipient (users.id)
  code                    TEXT NOT NULL,            -- message catalogue code, e.g. notification.change_request_rejected
  params                  TEXT NOT NULL,            -- JSON object of string parameters
  change_request_id       BIGINT NULL REFERENCES change_requests (id),
  created_at              TEXT NOT NULL,
  read_at                 TEXT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX change_requests_author ON change_requests (author_id, id);

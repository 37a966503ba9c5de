-- Every commune a change request touches (both households of a move, the old and new commune of an
-- update, both persons of a merge…), computed once when the request is filed. A reviewer lists,
-- reads and decides a request only when their scope covers every one of them; the store filters on
-- this table in the query itself.
CREATE TABLE change_request_areas (
  change_request_id       BIGINT NOT NULL REFERENCES change_requests (id),
  commune_code            TEXT NOT NULL,
  PRIMARY KEY (change_request_id, commune_code)
);
CREATE INDEX change_request_areas_commune ON change_request_areas (commune_code);

-- Requests filed before this table existed touch at least their recorded area.
INSERT INTO change_request_areas (change_request_id, commune_code)
  SELECT id, area_code FROM change_requests WHERE area_code IS NOT NULL AND kind NOT IN ('import_households', 'import_persons');

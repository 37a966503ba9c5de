// The registry's records as the stores read and write them: households with their members, persons,
// history events, change requests and their targets, benefit lines, and the caller's area scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "registry/values.h"

namespace sanad::registry {

inline constexpr const char* kOpenEnd = "9999-12-31T00:00:00Z";

// The caller's area scope: records whose commune lies under `area` on `today`; no area = national.
struct Scope {
  std::optional<std::string> area;
  std::string today;  // YYYY-MM-DD
};

struct PersonRecord {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  Values values;
  std::int64_t version = 0;
  std::optional<std::int64_t> merged_into;
};

struct HouseholdRecord {
  std::int64_t id = 0;
  Values values;
  std::int64_t version = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<PersonRecord> members;
};

// One field of a record that a change set: canonical text values (nullopt = empty). Besides the fields
// of the record's FieldSpec table, a person's "household_id" and "merged_into" appear when they change.
struct FieldChange {
  std::string field;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// One record a change wrote: its new version and the fields that differ from the previous one.
struct RecordChange {
  std::string record_type;  // household | person
  std::int64_t record_id = 0;
  std::int64_t version = 0;
  Values values;  // the record as this version left it (persons: to name them even after they left)
  std::vector<FieldChange> fields;
};

// One applied change (a change request, or one bulk load when change_request_id is empty).
struct HistoryEvent {
  std::string at;
  std::optional<std::int64_t> change_request_id;
  std::string kind;  // change request kind
  std::string author;
  std::string reviewer;
  // The change request's summary: a catalogue code and its parameters, rendered per reader; `summary`
  // is the stored English text, shown as it is for requests filed before summaries had codes.
  std::string summary;
  std::string summary_code;
  MessageParams summary_params;
  std::vector<RecordChange> records;  // the household first, then persons by id
};

// Something a reviewer must see before deciding (computed when filing and again when reviewing; not
// stored): e.g. reason "person.national_id_in_use" with the other holder's id when the caller's scope
// covers them.
struct ChangeWarning {
  std::string reason;
  std::string message;  // English fallback; readers get `reason` rendered with `params`
  std::string field;
  std::optional<std::int64_t> person_id;
  MessageParams params;
};

struct ChangeRequestRow {
  std::int64_t id = 0;
  std::string kind, status, author_username, created_at, payload;
  // One line saying what the request does: a catalogue code and its parameters, rendered in each
  // reader's language. `summary` is empty for them; requests filed before summaries had codes have
  // only that stored text, shown as it is.
  std::string summary;
  std::string summary_code;
  MessageParams summary_params;
  std::optional<std::int64_t> author_id;
  std::optional<std::string> area_code, reviewer_username, reviewed_at, review_comment;
  std::int64_t item_count = 1;
  std::vector<std::int64_t> conflicts_with;  // other pending requests sharing a target
  // Every commune the request touches (both households of a move, old and new commune of an update,
  // both persons of a merge…); empty for imports, whose area_code already holds every row.
  std::vector<std::string> communes;
  std::vector<ChangeWarning> warnings;  // computed for the caller, never stored
};

struct Target {
  std::string record_type;
  std::int64_t record_id = 0;
  std::int64_t base_version = 0;
};

struct BenefitRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> person_id, household_id;
  std::string programme, kind, benefit_date;
  std::optional<std::int64_t> amount_minor;
  std::optional<std::string> currency;
  std::optional<double> quantity;
  std::optional<std::string> unit;
  std::string reference, source, recorded_at, recorded_by;
};

// An active household that breaks the registry's rule of exactly one head (and at least one member).
struct HouseholdRuleBreak {
  std::int64_t household_id = 0;
  std::string ref;
  long long active_members = 0;
  long long heads = 0;
};

// An active person holding a national ID.
struct NationalIdHolder {
  std::int64_t person_id = 0;
  std::string commune_code;
};

// The order of a person search over its whole result (not one page). kNone: a name search keeps the
// index's rank, other searches go by id.
enum class PersonSort { kNone, kRecordId, kNameAr, kNameLat, kBirthDate, kNationalId };

struct SearchFilter {
  std::optional<std::string> national_id;
  std::optional<std::string> phone;
  std::optional<std::string> area;                      // additional area filter (inside the scope)
  std::optional<std::vector<std::int64_t>> person_ids;  // from the name index, in rank order
  bool include_inactive = false;
  PersonSort sort = PersonSort::kNone;
  bool descending = false;
  int limit = 50;
  int offset = 0;
  // false: the total is counted only when the page shows it whole (a first page shorter than the
  // limit); otherwise -1. Exports page through everything and need no count per page.
  bool count_total = true;
};

}  // namespace sanad::registry

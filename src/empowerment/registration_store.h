// SQL of the empowerment registrations (migration 0025): cooperatives, registrations reached by the hash
// of their tracking code, the blocking queries of the duplicate check (registrations and registry
// persons), probable duplicates, notes, and staff lists and reads within the reader's area scope.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/registration.h"
#include "linkage/identity_match.h"

namespace sanad::empowerment {

// The duplicate check scores identities with the linkage module's fixed model (docs/empowerment.md).
using linkage::Identity;
using linkage::Match;

// The reader's area: nullopt is national. `day` (YYYY-MM-DD) dates the area tree.
struct ReadScope {
  std::optional<std::string> area;
  std::string day;
};

struct StoredRegistration {
  std::int64_t id = 0;
  std::string status;  // incomplete | complete
  Registration registration;
  std::optional<std::int64_t> cooperative_id;
  std::optional<std::int64_t> person_id;
  std::optional<double> person_probability;
  std::string created_at, updated_at;
  std::optional<std::string> completed_at;
  std::int64_t version = 0;
};

struct DuplicateRow {
  std::int64_t other_id = 0;
  double probability = 0;
  std::string found_at;
};

struct Note {
  std::int64_t id = 0;
  bool is_public = false;
  std::string body, written_at, written_by;
};

struct CooperativeRow {
  std::int64_t id = 0;
  std::string registration_number, name;
  std::optional<std::string> sector;
  std::string commune_code;
  std::int64_t members = 0;  // registrations naming it
};

// What a write stores beside the registration: its status, blocking keys and the check's findings.
struct Findings {
  std::string status;
  std::string given_key, family_key;
  std::vector<Match> duplicates;  // other registrations
  std::optional<Match> person;    // the registry person linked
};

// A registration read and checked, waiting for its batch (RegistrationService's group commit).
struct NewRegistration {
  Registration registration;
  Identity probe;  // the registration as the duplicate check scores it
  std::string code_hash;
  Findings findings;
  std::string now;
  // The highest registration id committed before the check's reads began: registrations above it may
  // have been invisible to the check, so the batch looks at them again (LaterCandidates).
  std::int64_t seen = 0;
};

struct ListFilter {
  std::optional<std::string> status;
  bool duplicates_only = false;
  int limit = 100, offset = 0;
};

class RegistrationStore {
 public:
  explicit RegistrationStore(db::Database& db) : db_(db) {}

  // Whether `code` is a commune of the reference areas valid on `day`.
  Result<bool> CommuneExists(const std::string& code, const std::string& day);

  // Blocking for the duplicate check: registrations (earlier than `except` when given) sharing the family-name key,
  // or the given-name key and birth date, or the national id, or the phone (indexed, at most 200).
  Result<std::vector<Identity>> RegistrationCandidates(const Identity& probe, const std::string& given_key,
                                                       const std::string& family_key, std::int64_t except = 0);
  // The highest registration id committed so far (0 when none). Ids grow in commit order: registrations are
  // inserted by one batch at a time (InsertBatch's lock).
  Result<std::int64_t> LastRegistrationId();
  // Active registry persons with the same national id or phone, and those of `ids` (the name index's
  // hits), with their household's commune.
  Result<std::vector<Identity>> PersonCandidates(const Identity& probe, std::span<const std::int64_t> ids);

  // Completes an item's duplicate check inside its batch's transaction: `later` are the registrations
  // above the item's `seen` with its blocking keys — committed since its check read, or earlier in the same
  // batch — which the callback scores into the item's findings. Runs on the batch's thread.
  using Recheck = std::function<void(NewRegistration& item, const std::vector<Identity>& later)>;
  // Stores registrations (and their cooperatives when the registration number is new) with their
  // findings, in order, in one transaction (all or none): one durable commit for the batch. Each item is
  // rechecked (above) just before its insert. Returns their ids.
  Result<std::vector<std::int64_t>> InsertBatch(std::vector<NewRegistration>& batch, const Recheck& recheck);
  // Replaces a registration's fields and findings when its version is still `expected_version`.
  // Errors: kConflict (changed meanwhile).
  Status Update(std::int64_t id, std::int64_t expected_version, const Registration& r, const Findings& f,
                const std::string& now);

  Result<std::optional<StoredRegistration>> FindByCode(const std::string& code_hash);
  // nullopt also when the registration lies outside `scope`.
  Result<std::optional<StoredRegistration>> Get(std::int64_t id, const ReadScope& scope);
  Result<std::pair<std::vector<StoredRegistration>, long long>> List(const ReadScope& scope, const ListFilter& filter);
  // Probable duplicates of `id` in either direction, those within `scope` only.
  Result<std::vector<DuplicateRow>> Duplicates(std::int64_t id, const ReadScope& scope);
  Result<std::vector<Note>> Notes(std::int64_t id, bool public_only);
  // Errors: kNotFound (no registration in scope).
  Result<Note> AddNote(std::int64_t id, const ReadScope& scope, bool is_public, const std::string& body,
                       const std::string& now, const std::string& by);
  Result<std::vector<CooperativeRow>> Cooperatives(const ReadScope& scope);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment

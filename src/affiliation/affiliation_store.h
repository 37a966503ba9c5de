// SQL of affiliation (migration 0023): workers, declarations, imported lists and their review queue,
// campaign contacts. Every read and every write that touches a person is bounded by the caller's area
// scope inside the query (db::AreaScopeSql on the stored commune, or on the person's household's
// commune for writes that create rows).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "affiliation/contribution.h"
#include "core/error.h"
#include "db/database.h"

namespace sanad::affiliation {

// The reader's area: nullopt is national. `day` (YYYY-MM-DD) dates the area tree.
struct ReadScope {
  std::optional<std::string> area;
  std::string day;
};

// The registry person a worker or a proposal is about (what a reviewer compares).
struct PersonSummary {
  std::int64_t id = 0;
  std::optional<std::string> given_name_ar, family_name_ar, given_name_lat, family_name_lat, father_name_ar;
  std::optional<std::string> sex, birth_date, national_id, birth_commune_code, phone;
};

struct Worker {
  std::int64_t id = 0;
  PersonSummary person;
  std::string commune_code, fund, activity, status, affiliated_on, created_at, created_by;
  std::optional<std::string> registration_number, affiliation_number;
  std::optional<std::int64_t> proposal_id;
};

struct Declaration {
  std::int64_t id = 0, worker_id = 0;
  int year = 0;
  std::int64_t declared_base_minor = 0, base_minor = 0, contribution_minor = 0, paid_minor = 0;
  std::string currency, declared_on, recorded_at, recorded_by;
  std::optional<std::string> last_paid_on;
};

struct AffiliationList {
  std::int64_t id = 0;
  std::string name, fund, status, uploaded_at, uploaded_by;
  std::optional<std::string> area_code;
  std::optional<std::int64_t> job_id;
  std::int64_t rows_total = 0, matched = 0, proposed = 0, already_affiliated = 0, previously_rejected = 0;
};

// One row of an imported list: the person columns it gave (JSON object) and the worker's data.
struct ListEntry {
  std::int64_t line = 0;
  std::string record_id, activity;
  std::optional<std::string> registration_number;
  std::string person_json;
};

struct Proposal {
  std::int64_t id = 0, list_id = 0;
  std::string list_name, record_id, commune_code, fund, activity, status;
  std::optional<std::string> registration_number, decided_at, decided_by, comment;
  std::optional<std::int64_t> worker_id;
  double weight = 0;
  std::string list_person_json;  // the list's side
  PersonSummary person;          // the registry's side
};

// A row of the job's result: the list row `record_id` links to registry person `person_id`.
struct ListMatch {
  std::string record_id;
  std::int64_t person_id = 0;
  double weight = 0;
};

struct MatchCounts {
  std::int64_t matched = 0, proposed = 0, already_affiliated = 0, previously_rejected = 0;
};

struct CampaignCommune {
  std::string commune_code;
  std::int64_t contacted = 0;                 // distinct persons contacted
  std::int64_t affiliated_after_contact = 0;  // of those, affiliated on or after their first contact
  std::int64_t affiliated = 0;                // affiliated workers of the commune, contacted or not
};

class AffiliationStore {
 public:
  explicit AffiliationStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  // ---- lists (the service enqueues the job in the same transaction) ----
  Result<std::int64_t> InsertList(db::Session& s, const AffiliationList& list, const std::vector<ListEntry>& rows);
  Status SetListJob(db::Session& s, std::int64_t list_id, std::int64_t job_id);
  Result<std::optional<AffiliationList>> GetList(std::int64_t id);
  // Lists uploaded within the scope (a national list: national readers only), newest first.
  Result<std::vector<AffiliationList>> Lists(const ReadScope& scope, int limit);
  Result<std::vector<ListEntry>> ListEntries(std::int64_t list_id);
  // Writes the job's matches as proposals, except for persons already affiliated to the list's fund
  // (same person, or same registration number), pairs rejected before (same person, fund and source
  // key) and pairs already pending; marks the list matched with its counts. Inside the job's fenced
  // transaction. Re-running it for the same list changes nothing (proposals are unique per list row).
  Result<MatchCounts> WriteMatches(db::Session& s, std::int64_t list_id, const std::vector<ListMatch>& matches);
  Status MarkListFailed(std::int64_t list_id);

  // ---- review queue ----
  // Proposals with `status` (pending | accepted | rejected | all) in the scope, oldest first; total.
  Result<std::pair<std::vector<Proposal>, std::int64_t>> Proposals(const std::string& status, const ReadScope& scope,
                                                                   int limit, int offset);
  Result<std::optional<Proposal>> GetProposal(std::int64_t id, const ReadScope& scope);
  // Accept: creates the worker (affiliated on `today`) and marks the proposal accepted, in one
  // transaction. Errors: kNotFound (absent or outside scope), kFailedPrecondition (already decided),
  // kAlreadyExists (the person is already affiliated to that fund).
  Result<std::int64_t> Accept(std::int64_t id, const ReadScope& scope, const std::string& today, const std::string& now,
                              const std::string& by);
  // Errors: kNotFound, kFailedPrecondition (already decided).
  Status Reject(std::int64_t id, const ReadScope& scope, const std::string& comment, const std::string& now,
                const std::string& by);

  // ---- workers and contributions ----
  Result<std::pair<std::vector<Worker>, std::int64_t>> Workers(const ReadScope& scope, int limit, int offset);
  Result<std::optional<Worker>> GetWorker(std::int64_t id, const ReadScope& scope);
  Result<std::vector<Declaration>> Declarations(std::int64_t worker_id);
  // Errors: kAlreadyExists (a declaration for that year).
  Result<Declaration> AddDeclaration(std::int64_t worker_id, const Contribution& c, const std::string& declared_on,
                                     const std::string& now, const std::string& by);
  // Adds a payment to a declaration of a worker in scope. Errors: kNotFound.
  Result<Declaration> AddPayment(std::int64_t declaration_id, const ReadScope& scope, std::int64_t amount_minor,
                                 const std::string& paid_on);

  // ---- awareness campaign ----
  // Records a contact with a person of the scope (commune: their household's). Errors: kNotFound.
  Result<std::int64_t> AddContact(std::int64_t person_id, const ReadScope& scope, const std::string& contacted_on,
                                  const std::string& channel, const std::string& now, const std::string& by);
  // Figures by commune, contacts in [from, to] (inclusive; empty: unbounded).
  Result<std::vector<CampaignCommune>> Campaign(const ReadScope& scope, const std::string& from, const std::string& to);

 private:
  db::Database& db_;
};

}  // namespace sanad::affiliation

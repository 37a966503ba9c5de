// SQL of the funding applications (migration 0033): applications with their state and committee
// fields, reviewers' scores, agreement tranches and the history of transitions. Every write is a
// compare-and-set on the application's version and state inside one transaction, so two concurrent
// transitions of one application cannot both pass (the second gets kConflict). Reads by staff are
// scoped on the commune she applied from (docs/empowerment.md §Applications).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/application_state.h"
#include "empowerment/funding.h"
#include "empowerment/registration_store.h"
#include "registry/records.h"

namespace sanad::empowerment {

struct Application {
  std::int64_t id = 0, call_id = 0, registration_id = 0;
  std::string commune_code;
  AppState state = AppState::kDraft;
  long long requested_minor = 0;
  std::string summary;
  std::optional<long long> approved_minor;
  std::optional<double> score;
  std::vector<std::string> reasons;        // ineligibility reasons (message codes) or the reason given
  std::optional<std::string> public_note;  // shown to her
  // A committee decision proposed and awaiting another member's confirmation (four eyes).
  std::optional<std::string> proposed_decision, proposed_reason, proposed_minutes, proposed_by;
  std::optional<long long> proposed_amount_minor;
  std::optional<std::string> minutes, decided_by;  // of the confirmed decision: staff only
  std::optional<std::string> submitted_at;
  std::string created_at, created_by, updated_at;
  std::int64_t version = 0;
};

struct StoredReview {
  Review review;
  std::optional<std::string> comment;
  std::string reviewed_at;
};

struct Tranche {
  int n = 0;
  std::string milestone;
  long long planned_minor = 0;
  std::optional<std::string> paid_on, paid_by;
  std::optional<std::int64_t> benefit_id;
  std::optional<std::string> requires_training;  // released only once she completed this topic
};

struct AppEvent {
  std::optional<std::string> from;
  std::string to, actor, at;
  std::optional<std::string> note;
};

// An approval checked against its call's envelope inside the transaction that writes it.
struct EnvelopeGuard {
  std::int64_t call_id = 0;
  long long envelope_minor = 0;
  long long amount_minor = 0;
};

class ApplicationStore {
 public:
  explicit ApplicationStore(db::Database& db) : db_(db) {}

  // A new application (its state and fields as given). Errors: kAlreadyExists "empowerment.already_applied".
  Result<std::int64_t> Insert(const Application& a);
  // nullopt also when outside `scope` (her commune).
  Result<std::optional<Application>> Get(std::int64_t id, const ReadScope& scope);
  Result<std::vector<Application>> ForCall(std::int64_t call_id, const ReadScope& scope);
  // Hers, unscoped: the caller has found her registration by her tracking code.
  Result<std::vector<Application>> ForRegistration(std::int64_t registration_id);

  // Writes `next` when the stored application still has `current`'s version and state, records the
  // transition when the state changes. Errors: kConflict "empowerment.application_changed".
  // With `envelope`, the call's row is locked first (an UPDATE: a row lock on PostgreSQL, the write lock on
  // SQLite), so that two approvals of one call confirmed at once are checked one after the other against
  // what is committed (CheckWithinEnvelope: kFailedPrecondition "empowerment.over_budget").
  Status Save(const Application& current, const Application& next, const std::string& actor, const std::string& now,
              const std::optional<std::string>& note = std::nullopt,
              const std::optional<EnvelopeGuard>& envelope = std::nullopt);

  Result<std::vector<StoredReview>> Reviews(std::int64_t application_id);
  // Stores a reviewer's review and, in the same transaction, `next(all reviews)` over `current` (the
  // score and state they lead to). Errors: kAlreadyExists "empowerment.already_reviewed", kConflict.
  Status AddReview(const Application& current, const StoredReview& review,
                   const std::function<Application(const std::vector<Review>&)>& next, const std::string& now);

  // The agreement: `next` (agreement_signed) with its tranches, in one transaction.
  Status SignAgreement(const Application& current, const Application& next, const std::vector<Tranche>& tranches,
                       const std::string& actor, const std::string& now);
  Result<std::vector<Tranche>> Tranches(std::int64_t application_id);
  // Tranche `n` paid on `day` with `next` (funded, or monitoring after the last one), and its line in the
  // benefit ledger when `ledger` is given, in one transaction. Errors: kConflict (paid meanwhile).
  Status PayTranche(const Application& current, const Application& next, int n, const std::string& day,
                    const std::optional<registry::BenefitRow>& ledger, const std::string& actor,
                    const std::string& now);

  Result<std::vector<AppEvent>> Events(std::int64_t application_id);

 private:
  void Write(db::Session& s, const Application& current, const Application& next, const std::string& actor,
             const std::string& now, const std::optional<std::string>& note);
  db::Database& db_;
};

}  // namespace sanad::empowerment

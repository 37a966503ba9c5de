// Affiliation of non-salaried workers (docs/affiliation.md): imported lists matched against the registry
// by a background job, the review queue of the affiliations they propose (never written without a
// reviewer's accept), the workers' yearly declarations and contributions, the awareness campaign.
//
// Jobs: ImportList stores the list and queues an `affiliation_match` job in the same transaction; the job
// runner of whichever app server claims it calls Run, which links the list's rows to the active registry
// persons of the uploader's scope with the record-linkage engine (src/linkage, link-only, the registry's
// default model, as the deduplication's external lists) and writes the proposals together with the
// job's fence, so a rerun after a takeover writes nothing twice.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "affiliation/affiliation_store.h"
#include "affiliation/contribution.h"
#include "core/time.h"
#include "dedup/dedup_store.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "registry/actor.h"

namespace sanad::affiliation {

// The activities of non-salaried workers a list or a worker may carry.
const std::vector<std::string>& Activities();

ReadScope ScopeOf(const registry::Actor& a);

class AffiliationService final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "affiliation_match";

  AffiliationService(AffiliationStore& store, dedup::DedupStore& persons, jobs::JobStore& jobs, const Clock& clock,
                     std::vector<FundRules> funds = BuiltInFunds());
  AffiliationService(const AffiliationService&) = delete;
  AffiliationService& operator=(const AffiliationService&) = delete;

  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }
  const std::vector<FundRules>& funds() const { return funds_; }

  // The contribution of a fund for a year and a declared base (minor units). Errors: kInvalidArgument
  // (affiliation.unknown_fund, field fund) and ComputeContribution's.
  Result<Contribution> Preview(const std::string& fund, int year, std::int64_t declared_base_minor) const;

  // Checks the CSV (header: record_id, activity, optional registration_number, and at least one of the
  // registry's person columns, dedup::ListPersonColumns), stores it and queues its matching job.
  // Errors: kInvalidArgument naming the line and column (nothing stored).
  Result<AffiliationList> ImportList(const std::string& name, const std::string& fund, const std::string& csv,
                                     const registry::Actor& who);
  // Stores rows read elsewhere (the micro-credit borrowers, docs/affiliation.md) as a list and queues the
  // same matching job: the rows go through the same linkage and review queue as an uploaded file's.
  Result<AffiliationList> ImportEntries(const std::string& name, const std::string& fund, std::vector<ListEntry> rows,
                                        const registry::Actor& who);

  // jobs::JobHandler: matches one list (params: list_id, area, today).
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

  // Records a declaration of `year` for a worker of the scope, its contribution computed by the
  // worker's fund rules. Errors: kNotFound, kAlreadyExists, ComputeContribution's.
  Result<Declaration> Declare(std::int64_t worker_id, int year, std::int64_t declared_base_minor,
                              const std::string& declared_on, const registry::Actor& who);

  AffiliationStore& store() { return store_; }

 private:
  AffiliationStore& store_;
  dedup::DedupStore& persons_;
  jobs::JobStore& jobs_;
  const Clock& clock_;
  std::vector<FundRules> funds_;
  std::function<void()> on_queued_;
};

}  // namespace sanad::affiliation

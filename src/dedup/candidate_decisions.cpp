// The review queue: a reviewer confirms a candidate pair (a merge_persons change request for a second
// person to approve) or rejects it (remembered as not duplicates).
#include "dedup/dedup_service.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "registry_model/fields.h"

namespace sanad::dedup {

using Json = nlohmann::json;

namespace {

std::unexpected<Error> NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "linkage_candidate.not_found", {{"id", std::to_string(id)}}, "id");
}

std::unexpected<Error> AlreadyDecided(std::int64_t id) {
  return Failure(Code::kFailedPrecondition, "linkage_candidate.already_decided", {{"id", std::to_string(id)}}, "id");
}

bool Blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

Result<std::pair<std::vector<CandidateRow>, long long>> DedupService::Candidates(const std::string& status,
                                                                                 const registry::Scope& scope,
                                                                                 int limit, int offset,
                                                                                 std::string_view sort) {
  return store_.ListCandidates(status, scope, limit, offset, sort);
}

Result<std::optional<CandidateRow>> DedupService::Candidate(std::int64_t id, const registry::Scope& scope) {
  return store_.GetCandidate(id, scope);
}

Result<CandidateRow> DedupService::Confirm(std::int64_t id, std::optional<std::int64_t> keep,
                                           const std::string& comment, const registry::Actor& who) {
  auto c = store_.GetCandidate(id, who.scope);
  if (!c) return std::unexpected(c.error());
  if (!*c) return NotFound(id);
  const CandidateRow& cand = **c;
  if (cand.status != "pending") return AlreadyDecided(id);
  if (keep && *keep != cand.person_a && *keep != cand.person_b) {
    return Failure(Code::kInvalidArgument, "linkage_candidate.keep_not_in_pair",
                   {{"a", std::to_string(cand.person_a)}, {"b", std::to_string(cand.person_b)}}, "keep");
  }
  if (!keep) {
    static const int kRel = registry::FieldIndex(registry::kPersonFields, "relationship");
    auto a = changes_.store().households.GetPerson(cand.person_a, who.scope);
    auto b = changes_.store().households.GetPerson(cand.person_b, who.scope);
    if (!a) return std::unexpected(a.error());
    if (!b) return std::unexpected(b.error());
    const bool a_head = *a && (**a).values[kRel] == "head", b_head = *b && (**b).values[kRel] == "head";
    keep = (b_head && !a_head) ? cand.person_b : cand.person_a;
  }
  const std::int64_t dup = *keep == cand.person_a ? cand.person_b : cand.person_a;
  auto claimed = store_.SetCandidateStatus(id, "pending", "confirming");
  if (!claimed) return std::unexpected(claimed.error());
  if (!*claimed) return Failure(Code::kConflict, "linkage_candidate.being_decided", {{"id", std::to_string(id)}}, "id");
  auto cr = changes_.Submit("merge_persons", Json{{"person_id", *keep}, {"duplicate_person_id", dup}}, who);
  if (!cr) {
    (void)store_.SetCandidateStatus(id, "confirming", "pending");
    return std::unexpected(cr.error());
  }
  return store_.Decide(id, "confirming", "confirmed", "duplicates", cr->id, who, comment,
                       FormatTimestamp(clock_.Now()));
}

Result<CandidateRow> DedupService::Reject(std::int64_t id, const std::string& comment, const registry::Actor& who) {
  auto c = store_.GetCandidate(id, who.scope);
  if (!c) return std::unexpected(c.error());
  if (!*c) return NotFound(id);
  if ((*c)->status != "pending") return AlreadyDecided(id);
  // "Different persons" closes the question for good: the reviewer says why, for the next reviewer.
  if (Blank(comment)) {
    return Failure(Code::kInvalidArgument, "field.required", {{"field", "comment"}}, "comment");
  }
  return store_.Decide(id, "pending", "rejected", "not_duplicates", std::nullopt, who, comment,
                       FormatTimestamp(clock_.Now()));
}

Result<CandidateRow> DedupService::Reopen(std::int64_t id, const registry::Actor& who) {
  auto c = store_.GetCandidate(id, who.scope);
  if (!c) return std::unexpected(c.error());
  if (!*c) return NotFound(id);
  if ((*c)->status != "rejected") {
    return Failure(Code::kFailedPrecondition, "linkage_candidate.not_rejected", {{"id", std::to_string(id)}}, "id");
  }
  return store_.Reopen(id);
}

}  // namespace sanad::dedup

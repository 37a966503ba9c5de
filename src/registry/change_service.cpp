#include "registry/change_service.h"

#include <algorithm>

#include "db/row.h"
#include "registry/author_inbox.h"
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

std::unexpected<Error> NotInArea(std::int64_t id) {
  return Failure(Code::kNotFound, "change_request.not_found", {{"id", std::to_string(id)}}, "id");
}

std::unexpected<Error> NotPending(const ChangeRequestRow& cr) {
  return Failure(Code::kFailedPrecondition, "change_request.not_pending",
                 {{"id", std::to_string(cr.id)}, {"status", cr.status}}, "id");
}

// The registry's rule, checked after every application whatever its kind (API, import, merge, move,
// split): an active household has active members and exactly one head.
Status CheckHouseholdRules(HouseholdStore& store, db::Session& s, std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto breaks = store.HouseholdRuleBreaks(s, ids);
  if (!breaks) return std::unexpected(breaks.error());
  for (const auto& b : *breaks) {
    if (b.active_members == 0) {
      return Failure(Code::kFailedPrecondition, "household.no_active_member", {{"household", b.ref}});
    }
    return Failure(Code::kFailedPrecondition, b.heads == 0 ? "household.no_head" : "household.two_heads",
                   {{"household", b.ref}, {"heads", std::to_string(b.heads)}});
  }
  return Ok();
}

// Whether re-validating a stored request failed because the request no longer holds (a reason for the
// reviewer) rather than because the database could not answer (busy, unreachable, a bug): those pass
// through as they are, never as "no longer valid".
bool IsValidationFailure(const Error& e) {
  return e.code != Code::kInternal && e.code != Code::kUnavailable && e.code != Code::kResourceExhausted;
}

}  // namespace

Status ChangeService::Audit(db::Session& s, const Actor& who, const std::string& action, std::int64_t cr,
                            const std::string& details) {
  audit::AuditEntry e;
  e.user_id = who.user_id;
  e.username = who.username;
  e.action = action;
  e.record_type = "change_request";
  e.record_id = std::to_string(cr);
  e.ip = who.ip;
  e.request_id = who.request_id;
  e.details = details;
  auto appended = audit_.AppendIn(s, std::move(e));
  if (!appended) return std::unexpected(appended.error());
  return Ok();
}

Result<Filed> ChangeService::Validate(db::Session& s, const KindOps& ops, const nlohmann::json& payload,
                                      const Actor& actor, const ChangeRequestRow* stored) {
  if (!payload.is_object())
    return Failure(Code::kInvalidArgument, "field.not_object", {{"field", "payload"}}, "payload");
  Filing filing(store_, s, actor, stored ? std::optional<std::int64_t>(stored->id) : std::nullopt);
  if (auto st = ops.validate(filing, payload); !st) return std::unexpected(st.error());
  return std::move(filing.out());
}

Result<ChangeRequestRow> ChangeService::Submit(const std::string& kind_name, const nlohmann::json& payload,
                                               const Actor& author) {
  auto kind = ParseChangeKind(kind_name);
  if (!kind || OpsOf(*kind).staged) {
    return Failure(Code::kInvalidArgument, "change_request.unknown_kind", {{"kind", kind_name}}, "kind");
  }
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto filed = Validate(s, OpsOf(*kind), payload, author, nullptr);
    if (!filed) return std::unexpected(filed.error());
    ChangeRequestRow row;
    row.kind = kind_name;
    row.author_id = author.user_id;
    row.author_username = author.username;
    row.created_at = FormatTimestamp(clock_.Now());
    row.summary_code = filed->summary_code;
    row.summary_params = filed->summary_params;
    row.payload = filed->json.dump();
    row.area_code = filed->area_code;
    row.communes.assign(filed->communes.begin(), filed->communes.end());
    row.id = store_.requests.InsertChangeRequest(s, row, filed->targets);
    if (auto st = Audit(s, author, "create", row.id, nlohmann::json{{"kind", kind_name}}.dump()); !st)
      return std::unexpected(st.error());
    auto loaded = store_.requests.LoadChangeRequest(s, row.id);
    if (!loaded) return NotInArea(row.id);
    loaded->warnings = std::move(filed->warnings);
    return *loaded;
  });
}

Result<Filed> ChangeService::Revalidate(db::Session& s, const ChangeRequestRow& cr, const Actor& reviewer) {
  auto kind = ParseChangeKind(cr.kind);
  if (!kind) return Failure(Code::kFailedPrecondition, "change_request.unknown_kind", {{"kind", cr.kind}}, "kind");
  const KindOps& ops = OpsOf(*kind);
  // A staged import has no payload to read: its rows are checked against the registry as it is now.
  auto payload = ops.staged ? nlohmann::json::object() : nlohmann::json::parse(cr.payload, nullptr, false);
  auto filed = Validate(s, ops, payload, reviewer, &cr);
  if (filed) return std::move(*filed);
  if (!IsValidationFailure(filed.error())) return std::unexpected(filed.error());
  // Why it no longer holds travels as the refusal's problems, its field as the refusal's.
  const Error& why = filed.error();
  Error e =
      Failure(Code::kFailedPrecondition, "change_request.no_longer_valid", {{"id", std::to_string(cr.id)}}, why.field)
          .error();
  if (why.reason == "form.invalid") {
    e.problems = why.problems;
  } else {
    e.problems.push_back(Problem{why.reason, why.field, why.params, why.message});
  }
  return std::unexpected(std::move(e));
}

Result<ChangeRequestRow> ChangeService::Get(std::int64_t id, const Actor& reader) {
  auto cr = store_.requests.GetChangeRequest(id, reader.scope);
  if (!cr) return std::unexpected(cr.error());
  if (!*cr) return NotInArea(id);
  return **cr;
}

Result<ChangeRequestRow> ChangeService::Review(std::int64_t id, const Actor& reviewer) {
  auto cr = store_.requests.GetChangeRequest(id, reviewer.scope);
  if (!cr) return std::unexpected(cr.error());
  if (!*cr) return NotInArea(id);
  if ((*cr)->status != "pending") return **cr;
  return db::Guard([&]() -> Result<ChangeRequestRow> {
    auto s = store_.db().Acquire();
    ChangeRequestRow row = **cr;
    auto filed = Revalidate(s, row, reviewer);
    if (!filed) {
      const Error& e = filed.error();
      if (!IsValidationFailure(e)) return std::unexpected(e);
      ChangeWarning w{e.reason, e.message, e.field, std::nullopt, e.params};
      row.warnings.push_back(std::move(w));
      // The reason why, as the reviewer will be told when approving.
      for (const auto& p : e.problems) row.warnings.push_back({p.reason, p.message, p.field, std::nullopt, p.params});
    } else {
      row.warnings = std::move(filed->warnings);
    }
    return row;
  });
}

Result<ChangeRequestRow> ChangeService::SubmitImport(const ImportBatch& batch, const Actor& author) {
  auto kind = ParseChangeKind(batch.kind);
  if (!kind || !OpsOf(*kind).staged) {
    return Failure(Code::kInvalidArgument, "change_request.unknown_kind", {{"kind", batch.kind}}, "kind");
  }
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    ChangeRequestRow row;
    row.kind = batch.kind;
    row.author_id = author.user_id;
    row.author_username = author.username;
    row.created_at = FormatTimestamp(clock_.Now());
    row.summary_params = {{"rows", std::to_string(batch.rows.size())}, {"file", batch.file_name}};
    switch (*kind) {
      case ChangeKind::kImportHouseholds:
        row.summary_code = MsgCode("summary.import_households");
        break;
      case ChangeKind::kImportHouseholdsWithMembers:
        row.summary_code = MsgCode("summary.import_households_with_members");
        row.summary_params.emplace_back("households", std::to_string(batch.household_rows.size()));
        break;
      default:
        row.summary_code = MsgCode("summary.import_persons");
        break;
    }
    row.payload = nlohmann::json{{"file", batch.file_name}, {"rows", batch.rows.size()}}.dump();
    row.area_code = batch.area_code;
    row.item_count = static_cast<std::int64_t>(batch.rows.size());
    row.id = store_.requests.InsertChangeRequest(s, row, {});
    if (*kind == ChangeKind::kImportHouseholds) {
      store_.staging.StageHouseholds(s, row.id, batch.rows);
    } else if (*kind == ChangeKind::kImportHouseholdsWithMembers) {
      // The persons name their household by its reference in the file (no id: it is created with them).
      store_.staging.StageHouseholds(s, row.id, batch.household_rows);
      store_.staging.StagePersons(s, row.id, batch.household_refs, {}, batch.rows);
    } else {
      store_.staging.StagePersons(s, row.id, batch.household_refs, batch.household_ids, batch.rows);
    }
    if (auto st = Audit(s, author, "create", row.id,
                        nlohmann::json{{"kind", batch.kind}, {"rows", batch.rows.size()}}.dump());
        !st)
      return std::unexpected(st.error());
    auto loaded = store_.requests.LoadChangeRequest(s, row.id);
    if (!loaded) return NotInArea(row.id);
    return *loaded;
  });
}

Result<ChangeRequestRow> ChangeService::Approve(std::int64_t id, const Actor& reviewer,
                                                const ReviewDecision& decision) {
  AppliedChange applied;
  auto result = store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto cr = store_.requests.LoadChangeRequest(s, id);  // locked until the commit on PostgreSQL
    auto within = cr ? store_.requests.ChangeRequestWithin(s, *cr, reviewer.scope) : Result<bool>(false);
    if (!within) return std::unexpected(within.error());
    if (!*within) return NotInArea(id);
    if (cr->status != "pending") return NotPending(*cr);
    if (IsAuthor(*cr, reviewer)) {
      return Failure(Code::kPermissionDenied, "change_request.own_request", {{"id", std::to_string(id)}}, "id");
    }
    for (const auto& t : store_.requests.Targets(s, id)) {
      std::int64_t now_version = store_.households.CurrentVersion(s, t.record_type, t.record_id);
      if (now_version != t.base_version && !decision.acknowledge_conflicts) {
        // The field names the option that confirms the second look.
        return Failure(Code::kConflict, "change_request.records_changed",
                       {{"record", t.record_type},
                        {"id", std::to_string(t.record_id)},
                        {"from", std::to_string(t.base_version)},
                        {"to", std::to_string(now_version)}},
                       "acknowledge_conflicts");
      }
    }
    // The stored request is validated again against the registry as it is now, and applied from that.
    auto filed = Revalidate(s, *cr, reviewer);
    if (!filed) return std::unexpected(filed.error());
    for (const auto& c : filed->communes) {
      auto in = store_.households.AreaWithin(s, c, reviewer.scope);
      if (!in) return std::unexpected(in.error());
      if (!*in) return NotInArea(id);
    }
    nlohmann::json audit_details = {{"kind", cr->kind}, {"acknowledged_conflicts", decision.acknowledge_conflicts}};
    if (!filed->warnings.empty()) {
      if (!decision.national_id_not_same_person) {
        // The field names the decision the reviewer records: if it is the same person, reject and file
        // a merge_persons request; if not, approve with national_id_decision "not_same_person".
        Error e = Failure(Code::kFailedPrecondition, filed->warnings.front().reason, filed->warnings.front().params,
                          "national_id_decision")
                      .error();
        return std::unexpected(std::move(e));
      }
      if (decision.comment.empty()) {
        return Failure(Code::kInvalidArgument, "change_request.override_needs_comment", {}, "comment");
      }
      nlohmann::json holders = nlohmann::json::array();
      for (const auto& w : filed->warnings)
        holders.push_back(w.person_id ? nlohmann::json(*w.person_id) : nlohmann::json(nullptr));
      audit_details["national_id_override"] = true;
      audit_details["national_id_holders"] = holders;
    }
    const std::string now = FormatTimestamp(clock_.Now());
    auto kind = ParseChangeKind(cr->kind);  // known: the re-validation read it
    if (!kind) return Failure(Code::kFailedPrecondition, "change_request.unknown_kind", {{"kind", cr->kind}}, "kind");
    const KindOps& ops = OpsOf(*kind);
    Applying applying(store_, s, id, now);
    if (auto st = ops.apply(applying, filed->payload); !st) return std::unexpected(st.error());
    // What the programme cycles read of the households it touched, from their new versions.
    store_.rule_inputs.RebuildTouched(s, applying.change().household_ids, applying.change().person_ids, now);
    if (auto st = CheckHouseholdRules(store_.households, s, applying.change().household_ids); !st)
      return std::unexpected(st.error());
    applied = std::move(applying.change());
    std::sort(applied.household_ids.begin(), applied.household_ids.end());
    applied.household_ids.erase(std::unique(applied.household_ids.begin(), applied.household_ids.end()),
                                applied.household_ids.end());
    store_.requests.FinishChangeRequest(s, id, "applied", reviewer.user_id, reviewer.username, now, decision.comment);
    NotifyAuthorOfDecision(authors_, s, *cr, "applied", reviewer, decision.comment, now);
    audit_details["persons"] = static_cast<long long>(applied.person_ids.size()) + applied.bulk_persons;
    audit_details["households"] = static_cast<long long>(applied.household_ids.size()) + applied.bulk_households;
    if (auto st = Audit(s, reviewer, "approve", id, audit_details.dump()); !st) return std::unexpected(st.error());
    feed_.Append(s, applied, now);  // last: it holds the feed's lock until the commit
    auto loaded = store_.requests.LoadChangeRequest(s, id);
    if (!loaded) return NotInArea(id);
    return *loaded;
  });
  if (result) {
    for (const auto& l : listeners_) l(applied);
  }
  return result;
}

Result<ChangeRequestRow> ChangeService::Reject(std::int64_t id, const Actor& reviewer, const std::string& comment) {
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto cr = store_.requests.LoadChangeRequest(s, id);
    auto within = cr ? store_.requests.ChangeRequestWithin(s, *cr, reviewer.scope) : Result<bool>(false);
    if (!within) return std::unexpected(within.error());
    if (!*within) return NotInArea(id);
    if (cr->status != "pending") return NotPending(*cr);
    if (comment.empty()) return Failure(Code::kInvalidArgument, "change_request.reject_needs_comment", {}, "comment");
    const std::string now = FormatTimestamp(clock_.Now());
    store_.requests.FinishChangeRequest(s, id, "rejected", reviewer.user_id, reviewer.username, now, comment);
    store_.staging.DiscardStaged(s, id);
    NotifyAuthorOfDecision(authors_, s, *cr, "rejected", reviewer, comment, now);
    if (auto st = Audit(s, reviewer, "reject", id, nlohmann::json{{"kind", cr->kind}}.dump()); !st)
      return std::unexpected(st.error());
    auto loaded = store_.requests.LoadChangeRequest(s, id);
    if (!loaded) return NotInArea(id);
    return *loaded;
  });
}

}  // namespace sanad::registry

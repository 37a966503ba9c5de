#include "registry/benefit_ledger.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sanad::registry {

Result<BenefitRow> BenefitLedger::Record(const BenefitInput& in, const Actor& who) {
  // Every problem of the form at once.
  std::vector<Problem> problems;
  auto problem = [&](std::string_view reason, MessageParams params, std::string field) {
    problems.push_back({std::string(reason), std::move(field), std::move(params), ""});
  };
  auto text = [&](const std::string& v, std::string_view field, std::size_t max) {
    if (v.empty())
      problem(MsgCode("field.required"), {{"field", std::string(field)}}, std::string(field));
    else if (v.size() > max)
      problem(MsgCode("field.too_long"), {{"field", std::string(field)}, {"max", std::to_string(max)}},
              std::string(field));
  };
  if (!in.person_id && !in.household_id) problem(MsgCode("benefit.no_beneficiary"), {}, "person_id");
  text(in.programme, "programme", 40);
  if (in.kind != "cash" && in.kind != "in_kind" && in.kind != "service")
    problem(MsgCode("benefit.bad_kind"), {{"value", in.kind}}, "kind");
  if (auto d = ParseDate(in.date, "date"); !d)
    problems.push_back({d.error().reason, "date", d.error().params, d.error().reason.empty() ? d.error().message : ""});
  if (in.kind == "cash") {
    if (!in.amount_minor || *in.amount_minor < 0) problem(MsgCode("benefit.cash_amount"), {}, "amount_minor");
    if (in.currency != "MAD" && in.currency != "DZD")
      problem(MsgCode("benefit.bad_currency"), {{"value", in.currency.value_or("")}}, "currency");
  } else if ((in.kind == "in_kind" || in.kind == "service") &&
             (!in.quantity || *in.quantity <= 0 || !in.unit || in.unit->empty())) {
    problem(MsgCode("benefit.quantity_unit"), {}, "quantity");
  }
  text(in.reference, "reference", 100);
  if (!problems.empty()) return FormFailure(std::move(problems));
  return store_.db().InTransaction<BenefitRow>([&](db::Session& s) -> Result<BenefitRow> {
    // Scope first, for the person and the household alike: an answer about membership must not tell
    // a caller where someone outside their area lives.
    // A beneficiary outside the caller's area is answered like an absent one.
    auto visible = [&](std::int64_t household_id) -> Result<bool> {
      auto commune = store_.households.HouseholdCommune(s, household_id);
      if (!commune) return std::unexpected(commune.error());
      if (!*commune) return false;
      return store_.households.AreaWithin(s, **commune, who.scope);
    };
    std::optional<PersonRecord> p;
    if (in.person_id) {
      p = store_.households.LoadPerson(s, *in.person_id);
      auto seen = p ? visible(p->household_id) : Result<bool>(false);
      if (!seen) return std::unexpected(seen.error());
      if (!*seen) return Failure(Code::kNotFound, "benefit.beneficiary_not_found", {}, "person_id");
    }
    if (in.household_id) {
      auto seen = visible(*in.household_id);
      if (!seen) return std::unexpected(seen.error());
      if (!*seen) return Failure(Code::kNotFound, "benefit.beneficiary_not_found", {}, "household_id");
    }
    if (p && in.household_id && p->household_id != *in.household_id) {
      return Failure(Code::kInvalidArgument, "benefit.not_member", {}, "household_id");
    }
    if (store_.benefits.BenefitRecorded(s, in.source, in.reference))
      return Failure(Code::kAlreadyExists, "benefit.already_recorded",
                     {{"reference", in.reference}, {"source", in.source}}, "reference");
    BenefitRow b;
    b.person_id = in.person_id;
    b.household_id = in.household_id;
    b.programme = in.programme;
    b.kind = in.kind;
    b.benefit_date = in.date;
    b.amount_minor = in.amount_minor;
    b.currency = in.kind == "cash" ? in.currency : std::nullopt;
    b.quantity = in.kind == "cash" ? std::nullopt : in.quantity;
    b.unit = in.kind == "cash" ? std::nullopt : in.unit;
    b.reference = in.reference;
    b.source = in.source;
    b.recorded_at = FormatTimestamp(clock_.Now());
    b.recorded_by = who.username;
    b.id = store_.benefits.InsertBenefit(s, b);
    audit::AuditEntry e;
    e.user_id = who.user_id;
    e.username = who.username;
    e.action = "create";
    e.record_type = "benefit";
    e.record_id = std::to_string(b.id);
    e.ip = who.ip;
    e.request_id = who.request_id;
    // Built by the JSON library: a reference is text from a payment file and must stay one string value.
    e.details = nlohmann::json{{"programme", b.programme}, {"reference", b.reference}}.dump();
    if (auto a = audit_.AppendIn(s, std::move(e)); !a) return std::unexpected(a.error());
    return b;
  });
}

}  // namespace sanad::registry

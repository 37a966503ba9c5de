#include "registry/benefit_ledger.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sanad::registry {

Result<BenefitRow> BenefitLedger::Record(const BenefitInput& in, const Actor& who) {
  if (!in.person_id && !in.household_id)
    return Fail(Code::kInvalidArgument, "a benefit goes to a person or a household", "person_id");
  if (in.programme.empty() || in.programme.size() > 40)
    return Fail(Code::kInvalidArgument, "'programme' is required (≤ 40 characters)", "programme");
  if (in.kind != "cash" && in.kind != "in_kind" && in.kind != "service") {
    return Fail(Code::kInvalidArgument, "'kind' must be cash, in_kind or service", "kind");
  }
  if (auto d = ParseDate(in.date, "date"); !d) return std::unexpected(d.error());
  if (in.kind == "cash") {
    if (!in.amount_minor || *in.amount_minor < 0)
      return Fail(Code::kInvalidArgument, "cash benefits need a non-negative 'amount_minor'", "amount_minor");
    if (in.currency != "MAD" && in.currency != "DZD")
      return Fail(Code::kInvalidArgument, "'currency' must be MAD or DZD", "currency");
  } else if (!in.quantity || *in.quantity <= 0 || !in.unit || in.unit->empty()) {
    return Fail(Code::kInvalidArgument, "in-kind and service benefits need a positive 'quantity' and a 'unit'",
                "quantity");
  }
  if (in.reference.empty() || in.reference.size() > 100)
    return Fail(Code::kInvalidArgument, "'reference' is required (≤ 100 characters)", "reference");
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
      if (!*seen) return Fail(Code::kNotFound, "no such beneficiary in your area", "person_id");
    }
    if (in.household_id) {
      auto seen = visible(*in.household_id);
      if (!seen) return std::unexpected(seen.error());
      if (!*seen) return Fail(Code::kNotFound, "no such beneficiary in your area", "household_id");
    }
    if (p && in.household_id && p->household_id != *in.household_id) {
      return Fail(Code::kInvalidArgument, "the person does not belong to that household", "household_id");
    }
    if (store_.benefits.BenefitRecorded(s, in.source, in.reference))
      return Fail(Code::kAlreadyExists,
                  fmt::format("benefit '{}' from {} is already recorded", in.reference, in.source), "reference");
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

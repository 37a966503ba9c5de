#include "microcredit/preregistration.h"

#include <algorithm>

#include "core/time.h"
#include "core/tracking_code.h"
#include "core/utf8.h"
#include "microcredit/same_person.h"
#include "microcredit/schedule.h"
#include "registry/values.h"
#include "registry_model/fields.h"
#include "registry_model/vocabulary.h"

namespace sanad::microcredit {
namespace {

using registry::FieldSpec;
using registry::FieldType;

constexpr std::string_view kProducts[] = {"PNR", "TRIANGULAR"};

// The public form's fields, read by the registry's value rules so that a NIN, a phone or a date means
// the same here as in the registry (NIN: 18 digits; phones E.164, national forms normalised).
constexpr FieldSpec kFields[] = {
    {"given_name_ar", FieldType::kText, false, {}, 0, 0, 100},
    {"family_name_ar", FieldType::kText, false, {}, 0, 0, 100},
    {"given_name_lat", FieldType::kText, false, {}, 0, 0, 100},
    {"family_name_lat", FieldType::kText, false, {}, 0, 0, 100},
    {"birth_date", FieldType::kDate, true},
    {"national_id", FieldType::kNationalId, true},
    {"sex", FieldType::kEnum, true, registry::Allowed<registry::Sex>()},
    {"wilaya_code", FieldType::kArea, true},
    {"commune_code", FieldType::kArea, true},
    {"phone", FieldType::kPhone, true},
    {"education", FieldType::kEnum, false, registry::Allowed<registry::EducationLevel>()},
    {"product", FieldType::kEnum, true, kProducts},
    {"project_idea", FieldType::kText, true, {}, 0, 0, 2000},
    {"estimated_cost", FieldType::kInt, true, {}, 1, 1'000'000'000},
};
enum Index {
  kGivenAr,
  kFamilyAr,
  kGivenLat,
  kFamilyLat,
  kBirth,
  kNationalId,
  kSex,
  kWilaya,
  kCommune,
  kPhone,
  kEducation,
  kProduct,
  kIdea,
  kCost
};

// A project described in fewer characters than this tells the officer nothing.
constexpr std::size_t kMinProjectIdea = 10;

void Add(std::vector<Problem>& problems, std::string reason, const std::string& field, MessageParams params = {}) {
  if (params.empty()) params = {{"field", field}};
  problems.push_back({std::move(reason), field, std::move(params), ""});
}

}  // namespace

Result<PreRegistration> ReadPreRegistration(
    const nlohmann::json& body, const std::string& today,
    const std::function<std::optional<std::string>(const std::string&)>& wilaya_of_commune) {
  std::vector<Problem> problems;
  std::vector<Problem> read_problems;
  auto read =
      registry::ReadObject(kFields, body, registry::CountryCode::kAlgeria, /*partial=*/false, "", read_problems);
  // ReadObject names fields "<where>.<name>": the form's fields are top-level names.
  for (auto& p : read_problems) {
    if (p.field.starts_with(".")) p.field.erase(0, 1);
    problems.push_back(std::move(p));
  }
  const auto& v = read.values;
  PreRegistration r;
  r.given_name_ar = v[kGivenAr];
  r.family_name_ar = v[kFamilyAr];
  r.given_name_lat = v[kGivenLat];
  r.family_name_lat = v[kFamilyLat];
  // A given and a family name in one script at least (the registry's rule for a person).
  if (!(r.given_name_ar && r.family_name_ar) && !(r.given_name_lat && r.family_name_lat)) {
    const bool named = std::any_of(read_problems.begin(), read_problems.end(),
                                   [](const Problem& p) { return p.field.find("name") != std::string::npos; });
    if (!named) Add(problems, std::string(MsgCode("person.no_name")), "given_name_ar", {});
  }
  r.birth_date = v[kBirth].value_or("");
  r.national_id = v[kNationalId].value_or("");
  r.sex = v[kSex].value_or("");
  r.wilaya_code = v[kWilaya].value_or("");
  r.commune_code = v[kCommune].value_or("");
  r.phone = v[kPhone].value_or("");
  r.education = v[kEducation];
  r.product = v[kProduct].value_or("");
  r.project_idea = v[kIdea].value_or("");
  r.estimated_cost_minor = v[kCost] ? std::stoll(*v[kCost]) * kMinorPerDinar : 0;

  if (v[kBirth]) {
    const auto birth = ParseDate(*v[kBirth]);
    const auto day = ParseDate(today);
    if (birth && day && (birth->year < 1900 || *day < *birth)) {
      Add(problems, std::string(MsgCode("microcredit.birth_date_implausible")), "birth_date");
    }
  }
  if (v[kCommune]) {
    const auto wilaya = wilaya_of_commune(*v[kCommune]);
    if (!wilaya) {
      Add(problems, std::string(MsgCode("field.not_a_commune")), "commune_code",
          {{"field", "commune_code"}, {"value", *v[kCommune]}});
    } else if (v[kWilaya] && *wilaya != *v[kWilaya]) {
      Add(problems, std::string(MsgCode("microcredit.commune_not_in_wilaya")), "commune_code",
          {{"commune", *v[kCommune]}, {"wilaya", *v[kWilaya]}});
    }
  }
  if (v[kIdea] && DecodeUtf8(*v[kIdea]).size() < kMinProjectIdea) {
    Add(problems, std::string(MsgCode("microcredit.project_idea_too_short")), "project_idea",
        {{"field", "project_idea"}, {"min", std::to_string(kMinProjectIdea)}});
  }
  if (!problems.empty()) {
    return Failures(Code::kFailedPrecondition, "microcredit.preregistration_invalid", std::move(problems));
  }
  return r;
}

std::vector<ReasonRow> PreviewEligibility(const PreRegistration& p, const Date& today) {
  std::vector<ReasonRow> out;
  const auto birth = ParseDate(p.birth_date);
  if (!birth || CompletedYears(*birth, today) < 18) {
    out.push_back({"microcredit.reason.under_18", {{"birth_date", p.birth_date}}});
  }
  // The ceiling of the product in force today for the wilaya (the same plans the schedule preview uses).
  const auto product = ParseProduct(p.product);
  Status plan = Ok();
  if (product == ProductCode::kPnr) {
    auto pnr = PlanPnr(p.estimated_cost_minor, today, p.wilaya_code);
    if (!pnr) plan = std::unexpected(pnr.error());
  } else if (product == ProductCode::kTriangular) {
    auto tri = PlanTriangular(p.estimated_cost_minor, today);
    if (!tri) plan = std::unexpected(tri.error());
  }
  if (!plan) out.push_back({plan.error().reason, plan.error().params});
  return out;
}

std::string PublicStatus(const PreRegistration& p) {
  if (p.status == "converted" && p.application_state) return *p.application_state;
  return p.status;
}

PersonForMatch AsPersonForMatch(const PreRegistration& p) {
  PersonForMatch m;
  m.given_name_ar = p.given_name_ar.value_or("");
  m.family_name_ar = p.family_name_ar.value_or("");
  m.given_name_lat = p.given_name_lat.value_or("");
  m.family_name_lat = p.family_name_lat.value_or("");
  m.sex = p.sex;
  m.birth_date = p.birth_date;
  m.national_id = p.national_id;
  return m;
}

Result<PreRegistrations::Registered> PreRegistrations::Register(const nlohmann::json& body, const std::string& now,
                                                                const std::string& today) {
  auto day = ParseDate(today);
  if (!day) return std::unexpected(day.error());
  auto r = ReadPreRegistration(body, today, [&](const std::string& commune) -> std::optional<std::string> {
    auto w = store_.WilayaOfCommune(commune, today);
    return w ? *w : std::nullopt;
  });
  if (!r) return std::unexpected(r.error());
  r->preview = PreviewEligibility(*r, *day);
  r->status = "received";
  r->created_at = now;
  r->updated_at = now;
  Registered out;
  const std::string bare = core::RandomCode(kPreRegistrationCodeChars);
  auto id = store_.InsertPreRegistration(*r, core::CodeHash(bare));
  if (!id) return std::unexpected(id.error());
  r->id = *id;
  out.pre = std::move(*r);
  out.tracking_code = core::GroupCode(bare);
  return out;
}

Result<PreRegistration> PreRegistrations::ByCode(const std::string& typed) {
  auto unknown = [] { return Failure(Code::kNotFound, "microcredit.tracking_code_unknown", {}, "code"); };
  const auto bare = core::NormaliseCode(typed, kPreRegistrationCodeChars);
  if (!bare) return unknown();
  auto found = store_.PreRegistrationByCode(core::CodeHash(*bare));
  if (!found) return std::unexpected(found.error());
  if (!*found) return unknown();
  return std::move(**found);
}

Result<PreRegistration> PreRegistrations::Convert(std::int64_t id, std::int64_t person_id, bool training_required,
                                                  const Actor& who) {
  auto pre = store_.GetPreRegistration(id, who.scope);
  if (!pre) return std::unexpected(pre.error());
  if (!*pre) {
    return Failure(Code::kNotFound, "microcredit.preregistration_not_found", {{"id", std::to_string(id)}}, "id");
  }
  if ((*pre)->status != "received") {
    return Failure(Code::kConflict, "microcredit.preregistration_decided", {{"status", (*pre)->status}}, "id");
  }
  // The registry record must be the person who pre-registered (linkage comparisons, not only the id).
  auto person = store_.ApplicantOf(person_id, who.today, who.scope);
  if (!person) return std::unexpected(person.error());
  if (!*person) {
    return Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(person_id)}}, "person_id");
  }
  if (SamePersons(AsPersonForMatch(**pre), {(*person)->person}).empty()) {
    return Failure(Code::kFailedPrecondition, "microcredit.preregistration_other_person",
                   {{"person", std::to_string(person_id)}}, "person_id");
  }
  // Claimed first (received → converted, affected rows), so that two officers converting at once make
  // one application; released if the application cannot be made.
  auto claimed = store_.ClaimPreRegistration(id, who.username, who.now);
  if (!claimed) return std::unexpected(claimed.error());
  if (!*claimed) return Failure(Code::kConflict, "microcredit.preregistration_decided", {{"status", "?"}}, "id");
  ApplyInput in;
  in.person_id = person_id;
  in.product = (*pre)->product;
  in.amount_minor = (*pre)->estimated_cost_minor;
  in.applied_on = who.today;
  // The application's activity column holds 200 bytes: the idea's start, cut on a character boundary.
  const std::string& idea = (*pre)->project_idea;
  std::size_t cut = 0;
  while (cut < idea.size()) {
    const std::size_t next = cut + std::max<std::size_t>(Utf8SequenceLength(idea, cut), 1);
    if (next > 200) break;
    cut = next;
  }
  in.activity = idea.substr(0, cut);
  in.training_required = training_required;
  auto app = life_.Apply(in, who);
  if (!app) {
    if (auto st = store_.ReleasePreRegistration(id, who.now); !st) return std::unexpected(st.error());
    return std::unexpected(app.error());
  }
  if (auto st = store_.LinkPreRegistration(id, app->id); !st) return std::unexpected(st.error());
  auto again = store_.GetPreRegistration(id, who.scope);
  if (!again) return std::unexpected(again.error());
  if (!*again) return Failure(Code::kNotFound, "microcredit.preregistration_not_found", {}, "id");
  return std::move(**again);
}

Result<PreRegistration> PreRegistrations::Reject(std::int64_t id, const std::string& reason, const Actor& who) {
  auto pre = store_.GetPreRegistration(id, who.scope);
  if (!pre) return std::unexpected(pre.error());
  if (!*pre) {
    return Failure(Code::kNotFound, "microcredit.preregistration_not_found", {{"id", std::to_string(id)}}, "id");
  }
  auto done = store_.RejectPreRegistration(id, reason, who.username, who.now);
  if (!done) return std::unexpected(done.error());
  if (!*done) {
    return Failure(Code::kConflict, "microcredit.preregistration_decided", {{"status", (*pre)->status}}, "id");
  }
  auto again = store_.GetPreRegistration(id, who.scope);
  if (!again) return std::unexpected(again.error());
  if (!*again) return Failure(Code::kNotFound, "microcredit.preregistration_not_found", {}, "id");
  return std::move(**again);
}

}  // namespace sanad::microcredit

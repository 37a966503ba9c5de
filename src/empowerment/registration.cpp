#include "empowerment/registration.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/time.h"
#include "registry/values.h"
#include "registry_model/fields.h"
#include "text/utf8.h"

namespace sanad::empowerment {
namespace {

using registry::FieldSpec;
using registry::FieldType;

// The flat fields of the form, read by the registry's value rules (phones E.164, CIN/NIN by country,
// dates, enumerations, lengths) so that a phone or an id means the same here as in the registry.
constexpr FieldSpec kFields[] = {
    {"kind", FieldType::kEnum, true, kKinds},
    {"auto_entrepreneur_number", FieldType::kText, false, {}, 0, 0, 30},
    {"given_name", FieldType::kText, true, {}, 0, 0, 100},
    {"family_name", FieldType::kText, true, {}, 0, 0, 100},
    {"birth_date", FieldType::kDate, true},
    {"national_id", FieldType::kNationalId, false},
    {"phone", FieldType::kPhone, true},
    {"commune_code", FieldType::kArea, true},
    {"education", FieldType::kEnum, false, kEducations},
    {"project_idea", FieldType::kText, false, {}, 0, 0, 2000},
};
enum FieldIndex { kKind, kAeNumber, kGiven, kFamily, kBirth, kNationalId, kPhone, kCommune, kEducation, kIdea };

constexpr FieldSpec kCooperativeFields[] = {
    {"name", FieldType::kText, true, {}, 0, 0, 200},
    {"registration_number", FieldType::kText, true, {}, 0, 0, 50},
    {"sector", FieldType::kEnum, false, kSectors},
};

void Add(std::vector<Problem>& problems, std::string reason, const std::string& field, MessageParams params = {}) {
  if (params.empty()) params = {{"field", field}};
  problems.push_back({std::move(reason), field, std::move(params), ""});
}

// A list of short texts (`allowed` empty) or of values of `allowed`, each at most once.
std::vector<std::string> ReadList(const nlohmann::json& body, const std::string& name,
                                  std::span<const std::string_view> allowed, std::vector<Problem>& problems) {
  std::vector<std::string> out;
  if (!body.contains(name) || body[name].is_null()) return out;
  const auto& v = body[name];
  if (!v.is_array()) {
    Add(problems, std::string(MsgCode("field.not_array")), name);
    return out;
  }
  if (v.size() > kMaxSkills) {
    Add(problems, std::string(MsgCode("field.too_many_items")), name,
        {{"field", name}, {"max", std::to_string(kMaxSkills)}});
    return out;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    if (!v[i].is_string()) {
      Add(problems, std::string(MsgCode("field.item_not_string")), where,
          {{"field", name}, {"index", std::to_string(i)}});
      continue;
    }
    std::string item = v[i].get<std::string>();
    const auto first = item.find_first_not_of(" \t\n");
    item = first == std::string::npos ? "" : item.substr(first, item.find_last_not_of(" \t\n") - first + 1);
    if (item.empty()) {
      Add(problems, std::string(MsgCode("field.required")), where);
    } else if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      std::string all;
      for (auto a : allowed) all += (all.empty() ? "" : ", ") + std::string(a);
      Add(problems, std::string(MsgCode("value.not_allowed")), where,
          {{"field", name}, {"value", item}, {"allowed", all}});
    } else if (item.size() > kMaxSkillLength) {
      Add(problems, std::string(MsgCode("field.too_long")), where,
          {{"field", name}, {"max", std::to_string(kMaxSkillLength)}});
    } else if (std::find(out.begin(), out.end(), item) != out.end()) {
      Add(problems, std::string(MsgCode("empowerment.duplicate_item")), where, {{"field", name}, {"value", item}});
    } else {
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace

Result<Registration> ReadRegistration(const nlohmann::json& body, const std::string& today,
                                      const std::function<bool(const std::string&)>& commune_exists) {
  std::vector<Problem> problems;
  if (!body.is_object()) {
    Add(problems, std::string(MsgCode("field.not_object")), "body");
    return Failures(Code::kFailedPrecondition, "empowerment.registration_invalid", std::move(problems));
  }
  // The lists and the cooperative are read apart; the flat fields by the registry's rules.
  nlohmann::json flat = body;
  for (const char* k : {"situations", "skills", "cooperative"}) flat.erase(k);
  const std::string commune_raw =
      body.contains("commune_code") && body["commune_code"].is_string() ? body["commune_code"].get<std::string>() : "";
  const auto country = registry::CountryOfArea(commune_raw).value_or(registry::CountryCode::kMorocco);
  std::vector<Problem> flat_problems;
  auto read = registry::ReadObject(kFields, flat, country, /*partial=*/false, "", flat_problems);
  // ReadObject names fields "<where>.<name>": the form's fields are top-level names.
  for (auto& p : flat_problems) {
    if (p.field.starts_with(".")) p.field.erase(0, 1);
    problems.push_back(std::move(p));
  }
  const auto& v = read.values;
  Registration r;
  r.kind = v[kKind].value_or("");
  r.ae_number = v[kAeNumber];
  for (auto [index, ar, lat] : {std::tuple{kGiven, &r.given_name_ar, &r.given_name_lat},
                                std::tuple{kFamily, &r.family_name_ar, &r.family_name_lat}}) {
    if (!v[index]) continue;
    (text::HasArabic(*v[index]) ? *ar : *lat) = v[index];
  }
  r.birth_date = v[kBirth].value_or("");
  r.national_id = v[kNationalId];
  r.phone = v[kPhone].value_or("");
  r.commune_code = v[kCommune].value_or("");
  r.education = v[kEducation];
  r.project_idea = v[kIdea];

  if (v[kBirth]) {
    const auto birth = ParseDate(*v[kBirth]);
    const auto day = ParseDate(today);
    if (birth && day) {
      const int age = CompletedYears(*birth, *day);
      if (age < kMinAge || age > kMaxAge) {
        Add(problems, std::string(MsgCode("empowerment.age_out_of_range")), "birth_date",
            {{"field", "birth_date"}, {"min", std::to_string(kMinAge)}, {"max", std::to_string(kMaxAge)}});
      }
    }
  }
  if (v[kCommune] && !commune_exists(*v[kCommune])) {
    Add(problems, std::string(MsgCode("field.not_a_commune")), "commune_code",
        {{"field", "commune_code"}, {"value", *v[kCommune]}});
  }
  if (r.project_idea && r.project_idea->size() < kMinProjectIdea) {
    Add(problems, std::string(MsgCode("empowerment.project_idea_too_short")), "project_idea",
        {{"field", "project_idea"}, {"min", std::to_string(kMinProjectIdea)}});
  }
  r.situations = ReadList(body, "situations", kSituations, problems);
  r.skills = ReadList(body, "skills", {}, problems);

  const bool member = r.kind == "cooperative_member";
  if (body.contains("cooperative") && !body["cooperative"].is_null()) {
    if (!member && !r.kind.empty()) {
      Add(problems, std::string(MsgCode("empowerment.cooperative_not_member")), "cooperative");
    } else {
      std::vector<Problem> coop_problems;
      auto coop =
          registry::ReadObject(kCooperativeFields, body["cooperative"], country, false, "cooperative", coop_problems);
      problems.insert(problems.end(), coop_problems.begin(), coop_problems.end());
      if (coop_problems.empty()) {
        r.cooperative = Cooperative{*coop.values[0], *coop.values[1], coop.values[2]};
      }
    }
  } else if (member) {
    Add(problems, std::string(MsgCode("field.required")), "cooperative");
  }
  if (member && r.ae_number) {
    Add(problems, std::string(MsgCode("empowerment.ae_number_not_auto_entrepreneur")), "auto_entrepreneur_number");
  }
  if (!problems.empty()) {
    return Failures(Code::kFailedPrecondition, "empowerment.registration_invalid", std::move(problems));
  }
  return r;
}

nlohmann::json RegistrationJson(const Registration& r) {
  auto opt = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
  nlohmann::json j{{"kind", r.kind},
                   {"auto_entrepreneur_number", opt(r.ae_number)},
                   {"given_name", opt(r.given_name_ar ? r.given_name_ar : r.given_name_lat)},
                   {"family_name", opt(r.family_name_ar ? r.family_name_ar : r.family_name_lat)},
                   {"birth_date", r.birth_date},
                   {"national_id", opt(r.national_id)},
                   {"phone", r.phone},
                   {"commune_code", r.commune_code},
                   {"education", opt(r.education)},
                   {"situations", r.situations},
                   {"skills", r.skills},
                   {"project_idea", opt(r.project_idea)}};
  if (r.cooperative) {
    j["cooperative"] = {{"name", r.cooperative->name},
                        {"registration_number", r.cooperative->registration_number},
                        {"sector", opt(r.cooperative->sector)}};
  } else {
    j["cooperative"] = nullptr;
  }
  return j;
}

std::vector<std::string> MissingForCompletion(const Registration& r) {
  std::vector<std::string> out;
  if (!r.education) out.emplace_back("education");
  if (r.skills.empty()) out.emplace_back("skills");
  if (!r.project_idea) out.emplace_back("project_idea");
  return out;
}

}  // namespace sanad::empowerment

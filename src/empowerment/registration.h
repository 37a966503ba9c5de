// A woman's registration on the empowerment platform (docs/empowerment.md §Registration): what she
// gives on the public form, read and checked in one place for every path (the first registration, the
// completion of her file by tracking code, partner systems), with every invalid field reported at once.
// Pure: no SQL, no HTTP.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace sanad::empowerment {

inline constexpr std::string_view kKinds[] = {"auto_entrepreneur", "cooperative_member"};
inline constexpr std::string_view kSituations[] = {"widow", "divorced", "head_of_household", "disability"};
inline constexpr std::string_view kEducations[] = {"none", "literacy", "primary", "secondary", "higher", "vocational"};
inline constexpr std::string_view kSectors[] = {"agriculture", "crafts",  "food", "textile",
                                                "services",    "digital", "other"};

// Age bounds at registration: adults of working age (docs/empowerment.md).
inline constexpr int kMinAge = 18;
inline constexpr int kMaxAge = 75;

struct Cooperative {
  std::string name;
  std::string registration_number;
  std::optional<std::string> sector;
};

struct Registration {
  std::string kind;                      // kKinds
  std::optional<std::string> ae_number;  // auto-entrepreneur number, when she has one
  std::optional<Cooperative> cooperative;
  // Her names in the script she wrote them in (Arabic or Latin).
  std::optional<std::string> given_name_ar, family_name_ar, given_name_lat, family_name_lat;
  std::string birth_date;  // YYYY-MM-DD
  std::string phone;       // E.164
  std::string commune_code;
  std::optional<std::string> national_id;
  std::optional<std::string> education;  // kEducations
  std::vector<std::string> situations;   // kSituations, each at most once
  std::vector<std::string> skills;       // short texts, at most kMaxSkills
  std::optional<std::string> project_idea;
};

inline constexpr std::size_t kMaxSkills = 20;
inline constexpr std::size_t kMaxSkillLength = 80;
inline constexpr std::size_t kMinProjectIdea = 20;  // bytes: a sentence, not a word

// Reads a registration from a JSON object. Identity (kind, given_name, family_name, birth_date, phone,
// commune_code) is required; a cooperative member also names her cooperative (name and registration
// number). `commune_exists` says whether a code is a commune of the reference areas. `today` is
// YYYY-MM-DD (age bounds). Errors: kFailedPrecondition "empowerment.registration_invalid" whose
// problems name every invalid, unknown or missing field.
Result<Registration> ReadRegistration(const nlohmann::json& body, const std::string& today,
                                      const std::function<bool(const std::string&)>& commune_exists);

// The registration as the JSON the form sends (ReadRegistration(RegistrationJson(r)) == r), so that a
// completion is the stored file with her new fields merged on top and read again whole.
nlohmann::json RegistrationJson(const Registration& r);

// Fields her file still lacks before it is complete (education, skills, project_idea), in form order.
std::vector<std::string> MissingForCompletion(const Registration& r);

}  // namespace sanad::empowerment

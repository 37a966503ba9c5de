// The registry's controlled vocabulary: every enumerated value a household or person column may take,
// with the exact spelling used in CSV files, the API and the database (docs/data-formats.md).
// The synthetic generator writes these spellings; the registry importer parses them back with Parse<>.
//
// Header-only, no dependencies, constexpr: safe to include from any module.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sanad::registry {

// Each enumeration E has a specialisation VocabularyOf<E> with kNames[i] = spelling of value i.
template <typename E>
struct VocabularyOf;

// The canonical spelling of a value, e.g. ToString(Relationship::kGrandchild) == "grandchild".
template <typename E>
constexpr std::string_view ToString(E value) {
  return VocabularyOf<E>::kNames[static_cast<std::size_t>(value)];
}

// Parses a canonical spelling (exact, case-sensitive); nullopt for anything else.
template <typename E>
constexpr std::optional<E> Parse(std::string_view text) {
  const auto& names = VocabularyOf<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Number of values of an enumeration.
template <typename E>
constexpr std::size_t VocabularySize() {
  return VocabularyOf<E>::kNames.size();
}

#define SANAD_VOCABULARY(Enum, ...)                                                      \
  template <>                                                                            \
  struct VocabularyOf<Enum> {                                                            \
    static constexpr std::array kNames = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

enum class Country : std::uint8_t { kMorocco, kAlgeria };
SANAD_VOCABULARY(Country, "MA", "DZ");

enum class Sex : std::uint8_t { kMale, kFemale };
SANAD_VOCABULARY(Sex, "M", "F");

// Relationship to the head of household.
enum class Relationship : std::uint8_t { kHead, kSpouse, kChild, kGrandchild, kParent, kSibling, kOther };
SANAD_VOCABULARY(Relationship, "head", "spouse", "child", "grandchild", "parent", "sibling", "other");

enum class MaritalStatus : std::uint8_t { kSingle, kMarried, kDivorced, kWidowed };
SANAD_VOCABULARY(MaritalStatus, "single", "married", "divorced", "widowed");

// Current school situation. primary … higher mean "currently enrolled at that level" (the ASD rule
// "in school" for children 6–20); out_of_school = attended school once, not enrolled now; none = never
// attended; not_applicable = under school age (0–5).
enum class Schooling : std::uint8_t {
  kNotApplicable,
  kNone,
  kPrimary,
  kLowerSecondary,
  kUpperSecondary,
  kHigher,
  kOutOfSchool,
};
SANAD_VOCABULARY(Schooling, "not_applicable", "none", "primary", "lower_secondary", "upper_secondary", "higher",
                 "out_of_school");

// Highest level completed or reached (not enrolment).
enum class EducationLevel : std::uint8_t { kNone, kPrimary, kLowerSecondary, kUpperSecondary, kHigher };
SANAD_VOCABULARY(EducationLevel, "none", "primary", "lower_secondary", "upper_secondary", "higher");

enum class DisabilityType : std::uint8_t {
  kNone,
  kMotor,
  kVisual,
  kHearing,
  kSpeech,
  kIntellectual,
  kPsychological,
  kMultiple,
  kChronicIllness,
};
SANAD_VOCABULARY(DisabilityType, "none", "motor", "visual", "hearing", "speech", "intellectual", "psychological",
                 "multiple", "chronic_illness");

enum class EmploymentStatus : std::uint8_t {
  kNotApplicable,  // under 15
  kEmployed,       // salaried
  kSelfEmployed,
  kUnemployed,
  kHomemaker,
  kStudent,
  kRetired,
  kInactive,
};
SANAD_VOCABULARY(EmploymentStatus, "not_applicable", "employed", "self_employed", "unemployed", "homemaker", "student",
                 "retired", "inactive");

// Occupation of people who work (employed or self-employed); kNone is written as an empty field.
enum class Occupation : std::uint8_t {
  kNone,
  kFarmer,
  kAgriculturalWorker,
  kHerder,
  kFisher,
  kConstructionWorker,
  kFactoryWorker,
  kArtisan,
  kTrader,
  kStreetVendor,
  kDriver,
  kDomesticWorker,
  kServiceWorker,
  kPrivateEmployee,
  kCivilServant,
  kTeacher,
  kHealthWorker,
  kSecurityForces,
  kManagerProfessional,
};
SANAD_VOCABULARY(Occupation, "", "farmer", "agricultural_worker", "herder", "fisher", "construction_worker",
                 "factory_worker", "artisan", "trader", "street_vendor", "driver", "domestic_worker", "service_worker",
                 "private_employee", "civil_servant", "teacher", "health_worker", "security_forces",
                 "manager_professional");

// Social-security affiliation. Morocco: CNSS (private sector, also self-employed AMO), CNOPS (public
// sector health), CMR (public-sector pensions). Algeria: CNAS (salaried), CASNOS (non-salaried),
// CNR (pensions).
enum class SocialSecurityFund : std::uint8_t { kNone, kCnss, kCnops, kCmr, kCnas, kCasnos, kCnr };
SANAD_VOCABULARY(SocialSecurityFund, "none", "cnss", "cnops", "cmr", "cnas", "casnos", "cnr");

enum class DwellingType : std::uint8_t {
  kVilla,
  kApartment,
  kModernHouse,       // Moroccan "maison marocaine moderne" / Algerian individual house
  kTraditionalHouse,  // medina / ksar / old house
  kRuralHouse,        // rural dwelling, often earth or stone
  kShack,             // bidonville / habitat précaire
  kOther,
};
SANAD_VOCABULARY(DwellingType, "villa", "apartment", "modern_house", "traditional_house", "rural_house", "shack",
                 "other");

enum class Tenure : std::uint8_t { kOwner, kRenter, kFreeLodging, kOther };
SANAD_VOCABULARY(Tenure, "owner", "renter", "free_lodging", "other");

enum class WallMaterial : std::uint8_t { kConcreteBrick, kStone, kEarth, kWoodSheetMetal, kOther };
SANAD_VOCABULARY(WallMaterial, "concrete_brick", "stone", "earth", "wood_sheet_metal", "other");

enum class RoofMaterial : std::uint8_t { kConcreteSlab, kTiles, kSheetMetal, kWoodReed, kEarth, kOther };
SANAD_VOCABULARY(RoofMaterial, "concrete_slab", "tiles", "sheet_metal", "wood_reed", "earth", "other");

enum class WaterSource : std::uint8_t { kPipedInside, kPublicStandpipe, kWell, kSpringRiver, kTankerVendor };
SANAD_VOCABULARY(WaterSource, "piped_inside", "public_standpipe", "well", "spring_river", "tanker_vendor");

enum class ElectricitySource : std::uint8_t { kGrid, kSolar, kNone };
SANAD_VOCABULARY(ElectricitySource, "grid", "solar", "none");

enum class Sanitation : std::uint8_t { kPublicSewer, kSepticTank, kPitLatrine, kNone };
SANAD_VOCABULARY(Sanitation, "public_sewer", "septic_tank", "pit_latrine", "none");

enum class RegistrationChannel : std::uint8_t { kOnline, kServiceCentre };
SANAD_VOCABULARY(RegistrationChannel, "online", "service_centre");

// awaiting_members: created by a households-only import, not yet active (no head) until a persons
// import gives it its members.
enum class HouseholdStatus : std::uint8_t { kActive, kExited, kAwaitingMembers };
SANAD_VOCABULARY(HouseholdStatus, "active", "exited", "awaiting_members");

#undef SANAD_VOCABULARY

}  // namespace sanad::registry

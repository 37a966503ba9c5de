// A synthetic social registry held column by column (struct of arrays): one vector per variable, no
// per-row objects. Text (names, transliteration variants, typos) lives in one TextPool and is referenced
// by 32-bit TextRef; identifiers (record ids, national ids, phones, social-security numbers) are derived
// from the row indices when written (synth/identifiers.h), so they cost no memory.
//
// Rows: households [0, HouseholdCount()), persons [0, PersonCount()); the members of household h are the
// contiguous persons [first_person[h], first_person[h] + member_count[h]). Duplicate registrations are
// ordinary rows whose true_household / true_person point at the original row (originals point at
// themselves).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "synth/reference_data.h"
#include "synth/vocabulary.h"

namespace sanad::synth {

using TextRef = std::uint32_t;
inline constexpr TextRef kNoText = std::numeric_limits<TextRef>::max();  // written as an empty field

// Append-only arena of UTF-8 strings. Not thread-safe for concurrent Add.
class TextPool {
 public:
  TextRef Add(std::string_view text) {
    offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    bytes_.append(text);
    return static_cast<TextRef>(offsets_.size() - 1);
  }
  // Empty for kNoText.
  std::string_view Get(TextRef ref) const {
    if (ref == kNoText) return {};
    std::uint32_t begin = offsets_[ref];
    std::uint32_t end = ref + 1 < offsets_.size() ? offsets_[ref + 1] : static_cast<std::uint32_t>(bytes_.size());
    return std::string_view(bytes_).substr(begin, end - begin);
  }
  std::size_t size() const { return offsets_.size(); }
  // Appends every string of `other`; other's ref r becomes size()-before + r.
  void Append(const TextPool& other) {
    const auto shift = static_cast<std::uint32_t>(bytes_.size());
    offsets_.reserve(offsets_.size() + other.offsets_.size());
    for (std::uint32_t o : other.offsets_) offsets_.push_back(o + shift);
    bytes_.append(other.bytes_);
  }

 private:
  std::string bytes_;
  std::vector<std::uint32_t> offsets_;
};

// Days since 1970-01-01 (proleptic Gregorian).
using DayNumber = std::int32_t;

// X-macro lists of columns: (type, name). Used to declare, reserve and concatenate them in one place.
// Household columns that hold an index to another row are merged with an offset (see generator.cpp).
#define SANAD_SYNTH_HOUSEHOLD_COLUMNS(X)                                                  \
  X(std::uint32_t, first_person) /* index of the first member */                          \
  X(std::uint8_t, member_count)                                                           \
  X(std::uint32_t, true_household)  /* original row for a duplicate, else itself */       \
  X(std::uint16_t, commune)         /* index into Registry::communes */                   \
  X(std::uint8_t, urban)            /* 1 urban, 0 rural */                                \
  X(std::uint16_t, address_quarter) /* urban: quarter name index; rural: surname index */ \
  X(std::uint16_t, address_street)                                                        \
  X(std::uint16_t, address_number)                                                        \
  X(DwellingType, dwelling_type)                                                          \
  X(Tenure, tenure)                                                                       \
  X(std::uint8_t, rooms)                                                                  \
  X(WallMaterial, wall_material)                                                          \
  X(RoofMaterial, roof_material)                                                          \
  X(WaterSource, water_source)                                                            \
  X(ElectricitySource, electricity)                                                       \
  X(Sanitation, sanitation)                                                               \
  X(std::uint32_t, spend_electricity) /* monthly, local currency units */                 \
  X(std::uint32_t, spend_water)                                                           \
  X(std::uint32_t, spend_butane)                                                          \
  X(std::uint32_t, spend_telephone)                                                       \
  X(std::uint8_t, has_refrigerator)                                                       \
  X(std::uint8_t, has_television)                                                         \
  X(std::uint8_t, has_washing_machine)                                                    \
  X(std::uint8_t, has_car)                                                                \
  X(std::uint8_t, has_motorcycle)                                                         \
  X(std::uint16_t, livestock_units)                                                       \
  X(std::uint16_t, land_tenth_hectares) /* land in tenths of a hectare */                 \
  X(RegistrationChannel, registration_channel)                                            \
  X(DayNumber, registration_date)                                                         \
  X(HouseholdStatus, status)                                                              \
  X(float, latent_log_consumption) /* log annual consumption per person, local currency */

#define SANAD_SYNTH_PERSON_COLUMNS(X)                                              \
  X(std::uint32_t, household)                                                      \
  X(std::uint32_t, true_person) /* original row for a duplicate, else itself */    \
  X(Relationship, relationship)                                                    \
  X(Sex, sex)                                                                      \
  X(std::uint8_t, given_name)  /* index into ReferenceData::given_names (truth) */ \
  X(std::uint8_t, family_name) /* index into ReferenceData::surnames (truth) */    \
  X(TextRef, given_name_ar)                                                        \
  X(TextRef, family_name_ar)                                                       \
  X(TextRef, given_name_lat)                                                       \
  X(TextRef, family_name_lat)                                                      \
  X(TextRef, father_name_ar)                                                       \
  X(TextRef, mother_given_name_ar)                                                 \
  X(TextRef, mother_family_name_ar)                                                \
  X(DayNumber, birth_date)                                                         \
  X(std::uint8_t, birth_year_only)   /* 1: only the year is known/declared */      \
  X(std::uint16_t, birth_commune)    /* index into Registry::communes */           \
  X(std::uint8_t, national_id_state) /* IdState */                                 \
  X(std::uint8_t, phone_state)       /* PhoneState */                              \
  X(MaritalStatus, marital_status)                                                 \
  X(Schooling, schooling)                                                          \
  X(EducationLevel, education_level)                                               \
  X(DisabilityType, disability_type)                                               \
  X(std::uint8_t, disability_percent)                                              \
  X(EmploymentStatus, employment_status)                                           \
  X(Occupation, occupation)                                                        \
  X(SocialSecurityFund, social_security_fund)                                      \
  X(std::uint8_t, family_allowances)                                               \
  X(std::uint8_t, able_to_work)   /* derived: 18–59 and disability below 50 % */ \
  X(std::uint8_t, in_institution) /* 0: the generator makes households only */

// How a row's national id is written (derived from the true person's row, synth/identifiers.h).
// kTypo: one digit replaced; kTransposed: two adjacent different characters swapped (keying errors).
enum class IdState : std::uint8_t { kNone, kPresent, kTypo, kTransposed };
// How a row's phone is written: the person's own number, another one (duplicates), or none.
enum class PhoneState : std::uint8_t { kNone, kOwn, kOther };

struct HouseholdColumns {
#define SANAD_SYNTH_DECLARE(type, name) std::vector<type> name;
  SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_SYNTH_DECLARE)
#undef SANAD_SYNTH_DECLARE
};

struct PersonColumns {
#define SANAD_SYNTH_DECLARE(type, name) std::vector<type> name;
  SANAD_SYNTH_PERSON_COLUMNS(SANAD_SYNTH_DECLARE)
#undef SANAD_SYNTH_DECLARE
};

struct Registry {
  Country country = Country::kMorocco;
  std::uint64_t seed = 0;
  std::vector<Commune> communes;  // the country's full commune list (ReferenceData order)
  TextPool text;
  std::vector<TextRef> surname_latin;  // canonical Latin spelling of ReferenceData::surnames[i]
  HouseholdColumns households;
  PersonColumns persons;

  std::size_t HouseholdCount() const { return households.commune.size(); }
  std::size_t PersonCount() const { return persons.household.size(); }
  bool IsDuplicateHousehold(std::size_t h) const { return households.true_household[h] != h; }
  bool IsDuplicatePerson(std::size_t p) const { return persons.true_person[p] != p; }
};

}  // namespace sanad::synth

#include "microcredit/same_person.h"

#include <string>

#include "linkage/comparison.h"
#include "linkage/record_store.h"

namespace sanad::microcredit {
namespace {

linkage::RawRecord Raw(const PersonForMatch& p, std::uint8_t source) {
  linkage::RawRecord r;
  r.id = std::to_string(p.person_id) + (source == 0 ? "a" : "c");
  r.source = source;
  r[linkage::InField::kGivenAr] = p.given_name_ar;
  r[linkage::InField::kFamilyAr] = p.family_name_ar;
  r[linkage::InField::kGivenLat] = p.given_name_lat;
  r[linkage::InField::kFamilyLat] = p.family_name_lat;
  r[linkage::InField::kFatherAr] = p.father_name_ar;
  r[linkage::InField::kSex] = p.sex;
  r[linkage::InField::kBirthDate] = p.birth_date;
  r[linkage::InField::kNationalId] = p.national_id;
  return r;
}

// Levels are 1-based from the strongest agreement; 0 means a value is missing on either side.
constexpr int kNameCloseEnough = 4;  // exact | cross-script key | one edit | Jaro–Winkler ≥ 0.92
constexpr int kDateCloseEnough = 3;  // exact | day/month swapped | one digit

}  // namespace

std::vector<std::int64_t> SamePersons(const PersonForMatch& applicant, const std::vector<PersonForMatch>& candidates) {
  std::vector<std::int64_t> out;
  if (candidates.empty()) return out;
  linkage::RecordStoreBuilder builder;
  builder.Add(Raw(applicant, 0));
  for (const auto& c : candidates) builder.Add(Raw(c, 1));
  const linkage::RecordStore store = builder.Build();  // rows are reordered: find them by id
  std::uint32_t a = 0;
  for (std::uint32_t r = 0; r < store.size(); ++r) {
    if (store.Source(r) == 0) a = r;
  }
  const linkage::ComparisonSpec given{"given_name", linkage::CompareKind::kName, linkage::Col::kGivenLat};
  const linkage::ComparisonSpec family{"family_name", linkage::CompareKind::kName, linkage::Col::kFamilyLat};
  const linkage::ComparisonSpec birth{"birth_date", linkage::CompareKind::kDate, linkage::Col::kSex};
  const linkage::ComparisonSpec id{"national_id", linkage::CompareKind::kIdentifier, linkage::Col::kNationalId};
  const linkage::ComparisonSpec sex{"sex", linkage::CompareKind::kExact, linkage::Col::kSex};
  for (std::uint32_t r = 0; r < store.size(); ++r) {
    if (r == a) continue;
    const std::string& rid = store.RecordId(r);
    const std::int64_t person = std::stoll(rid.substr(0, rid.size() - 1));
    if (person == applicant.person_id) {
      out.push_back(person);
      continue;
    }
    const int id_level = linkage::CompareLevel(store, id, a, r);
    if (id_level == 1) {
      out.push_back(person);
      continue;
    }
    if (id_level == 3) continue;  // two different national ids (not one keying error apart): two persons
    if (linkage::CompareLevel(store, sex, a, r) == 2) continue;
    const int g = linkage::CompareLevel(store, given, a, r);
    const int f = linkage::CompareLevel(store, family, a, r);
    const int d = linkage::CompareLevel(store, birth, a, r);
    if (g >= 1 && g <= kNameCloseEnough && f >= 1 && f <= kNameCloseEnough && d >= 1 && d <= kDateCloseEnough) {
      out.push_back(person);
    }
  }
  return out;
}

}  // namespace sanad::microcredit

#include "linkage/identity_match.h"

#include <algorithm>

#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/record_store.h"

namespace sanad::linkage {
namespace {

// m = P(level | same woman), u = P(level | two different women), level 1 (strongest agreement) first.
// Names: exact | same cross-script key | one edit | Jaro–Winkler ≥ 0.92 | ≥ 0.80 | else. The u values
// follow the name frequencies of data/names (a given name shared by ~0.2% of pairs); the m values
// leave room for spelling variants across offices and scripts (an Arabic form against a Latin one can
// only agree on the key: level 2 carries most of the weight of a cross-script pair).
struct Levels {
  std::vector<double> m, u;
};
const Levels kName{{0.80, 0.12, 0.03, 0.02, 0.02, 0.01}, {0.002, 0.003, 0.002, 0.005, 0.02, 0.968}};
// Birth date: exact | day/month swapped | one digit | month-day same, year ±1 | presumed 1 January |
// same year | else.
const Levels kDate{{0.85, 0.02, 0.05, 0.02, 0.01, 0.02, 0.03}, {1e-4, 1e-5, 5e-4, 2e-4, 5e-4, 0.02, 0.97869}};
// Commune: same | same province | else (women register near home, but may move).
const Levels kCommune{{0.60, 0.25, 0.15}, {0.01, 0.05, 0.94}};
// National id: equal | one keying error | else.
const Levels kId{{0.95, 0.03, 0.02}, {1e-6, 1e-5, 0.999989}};
// Phone: equal | else (a phone is often shared within a family: weaker than an id).
const Levels kPhone{{0.60, 0.40}, {1e-4, 0.9999}};

const Model& TheModel() {
  static const Model model = [] {
    std::vector<ComparisonSpec> specs = {{"given_name", CompareKind::kName, Col::kGivenLat, false},
                                         {"family_name", CompareKind::kName, Col::kFamilyLat, false},
                                         {"birth_date", CompareKind::kDate, Col::kSex, false},
                                         {"commune", CompareKind::kCommune, Col::kCommune, false},
                                         {"national_id", CompareKind::kIdentifier, Col::kNationalId, false},
                                         {"phone", CompareKind::kExact, Col::kPhone, false}};
    const Levels* levels[] = {&kName, &kName, &kDate, &kCommune, &kId, &kPhone};
    Model m(specs);
    m.set_lambda(1e-4);  // two registrations drawn at random are rarely the same woman
    for (std::size_t c = 0; c < specs.size(); ++c) {
      for (int l = 1; l <= LevelCount(specs[c].kind); ++l) {
        m.set_m(c, l, levels[c]->m[static_cast<std::size_t>(l - 1)]);
        m.set_u(c, l, levels[c]->u[static_cast<std::size_t>(l - 1)]);
      }
    }
    m.Finalize();
    return m;
  }();
  return model;
}

RawRecord Raw(const Identity& p) {
  RawRecord r;
  r.id = std::to_string(p.id);
  r[InField::kGivenAr] = p.given_ar;
  r[InField::kFamilyAr] = p.family_ar;
  r[InField::kGivenLat] = p.given_lat;
  r[InField::kFamilyLat] = p.family_lat;
  r[InField::kBirthDate] = p.birth_date;
  r[InField::kCommune] = p.commune_code;
  r[InField::kNationalId] = p.national_id;
  r[InField::kPhone] = p.phone;
  r[InField::kSex].push_back('F');  // (assigning a literal trips a false -Wrestrict of g++ 12)
  return r;
}

}  // namespace

std::vector<Match> ScoreCandidates(const Identity& probe, std::span<const Identity> candidates) {
  std::vector<Match> out;
  if (candidates.empty()) return out;
  RecordStoreBuilder builder;
  builder.Reserve(candidates.size() + 1);
  builder.Add(Raw(probe));
  for (const auto& c : candidates) builder.Add(Raw(c));
  const RecordStore store = builder.Build();
  const auto& model = TheModel();
  const std::uint32_t a = store.RowOfInput(0);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::uint32_t b = store.RowOfInput(i + 1);
    const std::uint32_t gamma = ComputeGamma(store, model.comparisons(), a, b);
    const double p = Model::Probability(model.Weight(store, gamma, a, b));
    if (p < kProbable) continue;
    const int given = LevelOf(gamma, 0);
    out.push_back({candidates[i].id, p, given >= 1 && given <= 3});
  }
  std::sort(out.begin(), out.end(), [](const Match& x, const Match& y) { return x.probability > y.probability; });
  return out;
}

}  // namespace sanad::linkage

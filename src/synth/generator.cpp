#include "synth/generator.h"
#include "synth/twins.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numbers>
#include <span>

#include <fmt/format.h>

#include "synth/calendar.h"
#include "synth/parallel.h"

namespace sanad::synth {
namespace {

// ---------------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** (Blackman & Vigna, public domain) seeded through splitmix64. Every
// distribution below is written out so that results do not depend on the standard library.

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) word = SplitMix64(seed);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(((Next() >> 32) * n) >> 32); }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1))); }
  bool Chance(double p) { return Uniform() < p; }
  double Normal() {  // Box–Muller, both values used
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2 * std::numbers::pi * u2);
  }
  int Poisson(double lambda) {  // Knuth, fine for the small means used here
    const double limit = std::exp(-lambda);
    int k = 0;
    for (double p = Uniform(); p > limit; p *= Uniform()) ++k;
    return k;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Logit(double p) { return std::log(p / (1 - p)); }

// Walker/Vose alias table: O(1) sampling from a discrete distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0);
    alias_.assign(n, 0);
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob_[i] = 1;
    for (auto i : small) prob_[i] = 1;
  }
  std::uint32_t Sample(Rng& rng) const {
    const std::uint32_t i = rng.Below(static_cast<std::uint32_t>(prob_.size()));
    return rng.Uniform() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

// A categorical variable whose probabilities shift with standardised household welfare z:
// P(i | setting, z) ∝ weight_setting(i) · exp(slope(i) · z). Tabulated on kBins bins of z ∈ [-3, 3].
struct Choice {
  double urban = 0;
  double rural = 0;
  double slope = 0;
};

class WelfareTable {
 public:
  static constexpr int kBins = 48;
  WelfareTable() = default;
  explicit WelfareTable(std::span<const Choice> choices) : n_(choices.size()) {
    cumulative_.resize(2 * kBins * n_);
    for (int urban = 0; urban < 2; ++urban) {
      for (int b = 0; b < kBins; ++b) {
        const double z = -3.0 + 6.0 * (b + 0.5) / kBins;
        double total = 0;
        double* row = &cumulative_[(urban * kBins + b) * n_];
        for (std::size_t i = 0; i < n_; ++i) {
          total += (urban ? choices[i].urban : choices[i].rural) * std::exp(choices[i].slope * z);
          row[i] = total;
        }
        for (std::size_t i = 0; i < n_; ++i) row[i] /= total;
      }
    }
  }
  std::uint8_t Sample(bool urban, double z, Rng& rng) const {
    const int b = std::clamp(static_cast<int>((z + 3.0) / 6.0 * kBins), 0, kBins - 1);
    const double* row = &cumulative_[((urban ? 1 : 0) * kBins + b) * n_];
    const double u = rng.Uniform();
    std::size_t i = 0;
    while (i + 1 < n_ && u >= row[i]) ++i;
    return static_cast<std::uint8_t>(i);
  }

 private:
  std::size_t n_ = 0;
  std::vector<double> cumulative_;
};

// ---------------------------------------------------------------------------------------------------
// Model parameters. All are assumptions chosen to give plausible Maghrebi orders of magnitude; they
// are documented in docs/data-formats.md ("How the synthetic registry is generated").

// Latent log annual consumption per person (local currency): mean by country and setting, residual sd.
// Morocco: means put ≈ 40% of households under the ASD threshold 9.743 and ≈ 20% under AMO Tadamon's
// 9.326 (docs/domain.md §1.2; more of the people, as poor households are larger). Algeria: in DZD, same shape.
struct WelfareModel {
  double mean_urban, mean_rural, commune_sd, residual_sd, size_elasticity;
};
constexpr WelfareModel kMoroccoWelfare{10.05, 9.50, 0.15, 0.60, 0.30};
constexpr WelfareModel kAlgeriaWelfare{12.50, 12.05, 0.15, 0.60, 0.30};
constexpr double kWelfareScale = 0.62;  // z = (y − mean(setting)) / kWelfareScale

enum class Composition : std::uint8_t { kSingle, kCouple, kNuclear, kSingleParent, kExtended, kThreeGeneration };
// Probabilities (urban, rural) of each composition, and the fixed (non-child) expected size used to
// calibrate the number of children to each commune's mean household size.
constexpr std::array<double, 6> kCompositionUrban{0.08, 0.10, 0.52, 0.10, 0.12, 0.08};
constexpr std::array<double, 6> kCompositionRural{0.05, 0.08, 0.50, 0.08, 0.17, 0.12};

// Dwelling and amenities by welfare (urban weight, rural weight, slope on z). Order = enum order.
constexpr Choice kDwelling[] = {{0.02, 0.003, 1.2}, {0.25, 0.005, 0.4},  {0.50, 0.35, 0.2}, {0.13, 0.10, -0.3},
                                {0.01, 0.50, -0.4}, {0.035, 0.02, -1.2}, {0.02, 0.02, 0.0}};
constexpr Choice kTenure[] = {{0.60, 0.85, 0.2}, {0.28, 0.05, 0.0}, {0.10, 0.08, -0.3}, {0.02, 0.02, 0.0}};
constexpr Choice kWall[] = {
    {0.90, 0.45, 0.6}, {0.03, 0.20, -0.2}, {0.02, 0.30, -0.8}, {0.04, 0.03, -1.2}, {0.01, 0.02, 0.0}};
constexpr Choice kRoof[] = {{0.88, 0.45, 0.6},  {0.02, 0.05, 0.3},  {0.06, 0.12, -0.8},
                            {0.02, 0.25, -0.6}, {0.01, 0.10, -0.8}, {0.01, 0.03, 0.0}};
constexpr Choice kWater[] = {
    {0.92, 0.45, 0.7}, {0.05, 0.20, -0.6}, {0.01, 0.25, -0.3}, {0.001, 0.05, -0.6}, {0.02, 0.05, -0.3}};
constexpr Choice kElectricity[] = {{0.997, 0.96, 0.8}, {0.002, 0.03, -0.2}, {0.001, 0.008, -1.2}};
constexpr Choice kSanitation[] = {{0.90, 0.10, 0.5}, {0.07, 0.45, 0.4}, {0.02, 0.35, -0.6}, {0.01, 0.10, -1.0}};

// Occupations of working men and women (indexed by Occupation; kNone has weight 0).
constexpr Choice kMaleOccupation[] = {{0, 0, 0},          {0.01, 0.35, -0.1}, {0.01, 0.20, -0.6}, {0.0, 0.06, -0.5},
                                      {0.01, 0.01, -0.3}, {0.14, 0.10, -0.5}, {0.10, 0.03, -0.1}, {0.08, 0.03, -0.2},
                                      {0.12, 0.05, 0.2},  {0.07, 0.02, -0.7}, {0.08, 0.03, -0.1}, {0.005, 0.0, -0.8},
                                      {0.10, 0.02, -0.1}, {0.10, 0.02, 0.5},  {0.05, 0.03, 0.8},  {0.03, 0.02, 0.9},
                                      {0.01, 0.005, 0.9}, {0.04, 0.02, 0.4},  {0.03, 0.002, 1.5}};
constexpr Choice kFemaleOccupation[] = {{0, 0, 0},         {0.0, 0.25, -0.2},  {0.01, 0.35, -0.7}, {0.0, 0.02, -0.5},
                                        {0.0, 0.0, 0.0},   {0.0, 0.0, 0.0},    {0.15, 0.03, -0.2}, {0.12, 0.20, -0.3},
                                        {0.06, 0.03, 0.1}, {0.04, 0.01, -0.6}, {0.0, 0.0, 0.0},    {0.15, 0.03, -0.8},
                                        {0.12, 0.02, 0.0}, {0.12, 0.02, 0.6},  {0.06, 0.02, 0.9},  {0.08, 0.03, 1.0},
                                        {0.05, 0.01, 1.0}, {0.005, 0.0, 0.4},  {0.03, 0.001, 1.5}};
static_assert(std::size(kMaleOccupation) == VocabularySize<Occupation>());
static_assert(std::size(kFemaleOccupation) == VocabularySize<Occupation>());

constexpr double kDisabilityTypeWeights[] = {0, 0.35, 0.15, 0.10, 0.03, 0.12, 0.08, 0.07, 0.10};
constexpr std::uint8_t kDisabilityPercents[] = {20, 30, 40, 50, 60, 70, 80, 90, 100};
constexpr double kDisabilityPercentWeights[] = {0.05, 0.15, 0.15, 0.15, 0.12, 0.12, 0.10, 0.06, 0.10};

// Monthly price of one 12 kg butane bottle (synthetic orders of magnitude: MAD, DZD).
constexpr double kButanePriceMa = 50;
constexpr double kButanePriceDz = 200;

constexpr int kMaxMembers = 40;
constexpr int kUrbanQuarters = 24;  // number of generic quarter names (identifiers.cpp)

// ---------------------------------------------------------------------------------------------------
// Shared read-only context.

struct NameRefs {
  TextRef arabic = kNoText;
  TextRef latin = kNoText;
  std::vector<TextRef> latin_variants;
  std::vector<TextRef> arabic_variants;
};

struct NameSampler {
  std::vector<std::uint8_t> index;  // into given_names or surnames
  AliasTable alias;
  std::uint8_t Sample(Rng& rng) const { return index[alias.Sample(rng)]; }
};

struct Context {
  const ReferenceData* reference = nullptr;
  Config config;
  const std::vector<Commune>* communes = nullptr;
  WelfareModel welfare{};
  std::vector<std::uint16_t> eligible;  // communes in the region filter
  AliasTable eligible_alias;
  AliasTable country_alias;  // all communes of the country, for birth communes
  std::vector<float> commune_effect;
  NameSampler male, female, surname;
  std::vector<NameRefs> given_refs, surname_refs;
  std::uint32_t base_text = 0;  // refs below this are in the shared pool
  const TextPool* reference_pool = nullptr;
  DayNumber today = 0;
  WelfareTable dwelling, tenure, wall, roof, water, electricity, sanitation, male_occupation, female_occupation;
  AliasTable disability_type, disability_percent;
};

// ---------------------------------------------------------------------------------------------------
// One chunk of households, generated with local indices and merged afterwards.

struct Chunk {
  HouseholdColumns households;
  PersonColumns persons;
  TextPool text;  // typos; ref r here is written as base_text + r until merged
};

struct Draft {  // a member being built (stack only)
  Relationship relationship = Relationship::kHead;
  Sex sex = Sex::kMale;
  int age = 0;
  std::uint8_t given = 0;
  std::uint8_t family = 0;
  std::uint8_t father_given = 0;
  std::uint8_t mother_given = 0;
  std::uint8_t mother_family = 0;
  MaritalStatus marital = MaritalStatus::kSingle;
};

class ChunkGenerator {
 public:
  ChunkGenerator(const Context& ctx, std::int64_t chunk_index, Chunk& out)
      : ctx_(ctx),
        rng_(ctx.config.seed * 0x9E3779B97F4A7C15ULL ^
             (static_cast<std::uint64_t>(chunk_index) + 1) * 0xD1B54A32D192ED03ULL),
        out_(out) {}

  void Run(std::int64_t count) {
    auto& h = out_.households;
    const auto n = static_cast<std::size_t>(count);
#define SANAD_SYNTH_RESERVE(type, name) h.name.reserve(n);
    SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_SYNTH_RESERVE)
#undef SANAD_SYNTH_RESERVE
#define SANAD_SYNTH_RESERVE(type, name) out_.persons.name.reserve(n * 5);
    SANAD_SYNTH_PERSON_COLUMNS(SANAD_SYNTH_RESERVE)
#undef SANAD_SYNTH_RESERVE
    std::vector<std::uint32_t> originals;
    originals.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!originals.empty() && rng_.Chance(ctx_.config.duplicate_share)) {
        AddDuplicate(originals[rng_.Below(static_cast<std::uint32_t>(originals.size()))]);
      } else {
        originals.push_back(static_cast<std::uint32_t>(h.commune.size()));
        AddHousehold();
      }
    }
  }

 private:
  const Context& ctx_;
  Rng rng_;
  Chunk& out_;
  std::array<Draft, kMaxMembers> members_{};
  int count_ = 0;

  Draft& Add(Relationship rel, Sex sex, int age) {
    Draft& d = members_[static_cast<std::size_t>(count_++)];
    d = Draft{};
    d.relationship = rel;
    d.sex = sex;
    d.age = std::clamp(age, 0, 105);
    d.given = (sex == Sex::kMale ? ctx_.male : ctx_.female).Sample(rng_);
    d.family = ctx_.surname.Sample(rng_);
    d.father_given = ctx_.male.Sample(rng_);
    d.mother_given = ctx_.female.Sample(rng_);
    d.mother_family = ctx_.surname.Sample(rng_);
    return d;
  }
  static void ChildOf(Draft& child, const Draft& father, const Draft& mother) {
    child.family = father.family;
    child.father_given = father.given;
    child.mother_given = mother.given;
    child.mother_family = mother.family;
  }
  Sex RandomSex() { return rng_.Chance(0.51) ? Sex::kMale : Sex::kFemale; }
  int Clamp(double v, int lo, int hi) { return std::clamp(static_cast<int>(std::lround(v)), lo, hi); }

  // Children of `father` and `mother` (either may be a phantom: absent parent), youngest first drawn.
  void AddChildren(int k, const Draft& father, const Draft& mother, int mother_age, Relationship rel) {
    // Ages: the eldest was born when the mother was ~24, then spacing 1.5–5 years.
    int age = mother_age - Clamp(24 + 3.5 * rng_.Normal(), 16, 40);
    for (int i = 0; i < k && count_ < kMaxMembers && age >= 0; ++i) {
      Draft& c = Add(rel, RandomSex(), age);
      ChildOf(c, father, mother);
      c.marital = MaritalStatus::kSingle;
      if (c.age >= 18) {
        const double u = rng_.Uniform();
        if (u < 0.04 && c.sex == Sex::kFemale)
          c.marital = MaritalStatus::kDivorced;
        else if (u < 0.06)
          c.marital = MaritalStatus::kMarried;  // spouse away (migration, work)
      }
      age -= 1 + static_cast<int>(std::lround(1.0 + 2.5 * rng_.Uniform()));
    }
  }

  double ChildrenLambda(const Commune& c, bool urban) const {
    const auto& p = urban ? kCompositionUrban : kCompositionRural;
    const double fixed = p[0] * 1 + p[1] * 2 + p[2] * 3 + p[3] * 2 + p[4] * 4.4 + p[5] * 4.75;
    const double per_lambda = p[2] + p[3] + p[4] + 1.2 * p[5];
    return std::clamp((c.mean_household_size - fixed) / per_lambda, 0.05, 6.0);
  }

  void BuildComposition(bool urban, double lambda) {
    count_ = 0;
    const auto& probs = urban ? kCompositionUrban : kCompositionRural;
    double u = rng_.Uniform();
    int type = 0;
    while (type < 5 && u >= probs[static_cast<std::size_t>(type)]) u -= probs[static_cast<std::size_t>(type++)];
    const auto composition = static_cast<Composition>(type);
    Draft phantom_father = Add(Relationship::kOther, Sex::kMale, 40);
    Draft phantom_mother = Add(Relationship::kOther, Sex::kFemale, 40);
    count_ = 0;
    const int kids = 1 + std::min(rng_.Poisson(lambda), 11);
    switch (composition) {
      case Composition::kSingle: {
        if (rng_.Chance(0.6)) {
          const Sex sex = rng_.Chance(0.7) ? Sex::kFemale : Sex::kMale;
          Draft& h = Add(Relationship::kHead, sex, Clamp(72 + 8 * rng_.Normal(), 60, 98));
          const double m = rng_.Uniform();
          h.marital = m < 0.75 ? MaritalStatus::kWidowed : m < 0.85 ? MaritalStatus::kDivorced : MaritalStatus::kSingle;
        } else {
          const Sex sex = rng_.Chance(0.65) ? Sex::kMale : Sex::kFemale;
          Draft& h = Add(Relationship::kHead, sex, rng_.Between(22, 55));
          h.marital = rng_.Chance(0.75) ? MaritalStatus::kSingle : MaritalStatus::kDivorced;
        }
        break;
      }
      case Composition::kCouple: {
        const int age = rng_.Chance(0.6) ? Clamp(66 + 9 * rng_.Normal(), 50, 95) : rng_.Between(22, 38);
        Draft& h = Add(Relationship::kHead, Sex::kMale, age);
        h.marital = MaritalStatus::kMarried;
        Draft& s = Add(Relationship::kSpouse, Sex::kFemale, Clamp(age - 6 + 4 * rng_.Normal(), 18, 95));
        s.marital = MaritalStatus::kMarried;
        break;
      }
      case Composition::kNuclear:
      case Composition::kExtended: {
        const int first_birth = Clamp(24 + 3.5 * rng_.Normal(), 17, 38);
        const int youngest = static_cast<int>(26 * std::pow(rng_.Uniform(), 1.6));
        const int mother_age = std::min(first_birth + youngest + static_cast<int>(std::lround((kids - 1) * 2.75)), 75);
        const bool female_head = rng_.Chance(0.03);
        const int father_age = Clamp(mother_age + 6 + 4 * rng_.Normal(), 18, 95);
        Draft& h =
            Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, female_head ? mother_age : father_age);
        h.marital = MaritalStatus::kMarried;
        Draft& s =
            Add(Relationship::kSpouse, female_head ? Sex::kMale : Sex::kFemale, female_head ? father_age : mother_age);
        s.marital = MaritalStatus::kMarried;
        const Draft father = female_head ? s : h;
        const Draft mother = female_head ? h : s;
        const Draft head = h;
        // Children: re-anchor the eldest so the mother's first birth is at first_birth.
        AddChildrenFrom(kids, father, mother, mother_age - first_birth);
        if (composition == Composition::kExtended) {
          const int parents = rng_.Chance(0.2) ? 2 : 1;
          const bool mother_only = parents == 1 && rng_.Chance(0.85);
          const int base = head.age + Clamp(27 + 5 * rng_.Normal(), 18, 40);
          if (parents == 2 || !mother_only) {
            Draft& f = Add(Relationship::kParent, Sex::kMale, std::min(base + 4, 104));
            f.given = head.father_given;
            f.family = head.family;
            f.marital = parents == 2 ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
          }
          if (parents == 2 || mother_only) {
            Draft& m = Add(Relationship::kParent, Sex::kFemale, std::min(base, 104));
            m.given = head.mother_given;
            m.family = head.mother_family;
            m.marital = parents == 2 ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
          }
          if (rng_.Chance(0.2)) {
            const Sex sex = RandomSex();
            Draft& sib = Add(Relationship::kSibling, sex, Clamp(head.age + 8 * rng_.Normal(), 16, 90));
            sib.family = head.family;
            sib.father_given = head.father_given;
            sib.mother_given = head.mother_given;
            sib.mother_family = head.mother_family;
            const double m = rng_.Uniform();
            sib.marital = m < 0.8   ? MaritalStatus::kSingle
                          : m < 0.9 ? MaritalStatus::kDivorced
                                    : MaritalStatus::kWidowed;
          }
        }
        break;
      }
      case Composition::kSingleParent: {
        const bool female_head = rng_.Chance(0.85);
        const int first_birth = Clamp(24 + 3.5 * rng_.Normal(), 17, 38);
        const int youngest = static_cast<int>(20 * std::pow(rng_.Uniform(), 1.2));
        const int parent_age = std::min(first_birth + youngest + static_cast<int>(std::lround((kids - 1) * 2.75)), 80) +
                               (female_head ? 0 : 6);
        Draft& h = Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, parent_age);
        h.marital = rng_.Chance(0.6) ? MaritalStatus::kWidowed : MaritalStatus::kDivorced;
        const Draft head = h;
        if (female_head) {
          phantom_father.family = ctx_.surname.Sample(rng_);
          AddChildrenFrom(kids, phantom_father, head, parent_age - first_birth);
        } else {
          AddChildrenFrom(kids, head, phantom_mother, parent_age - 6 - first_birth);
        }
        break;
      }
      case Composition::kThreeGeneration: {
        const int age = Clamp(66 + 7 * rng_.Normal(), 52, 95);
        const bool couple = rng_.Chance(0.75);
        const bool female_head = !couple && rng_.Chance(0.8);
        Draft& h = Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, age);
        h.marital = couple ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
        const Draft head = h;
        Draft wife = phantom_mother;
        Draft husband = phantom_father;
        if (couple) {
          Draft& s = Add(Relationship::kSpouse, Sex::kFemale, Clamp(age - 6 + 3 * rng_.Normal(), 40, 95));
          s.marital = MaritalStatus::kMarried;
          wife = s;
          husband = head;
        } else if (female_head) {
          wife = head;
        } else {
          husband = head;
        }
        const int mother_age = female_head ? age : wife.age;
        // The married son, his wife (relationship "other": daughter-in-law) and their children.
        Draft& son = Add(Relationship::kChild, Sex::kMale,
                         std::clamp(mother_age - Clamp(26 + 4 * rng_.Normal(), 18, 40), 20, 60));
        ChildOf(son, husband, wife);
        son.marital = MaritalStatus::kMarried;
        const Draft son_copy = son;
        Draft& dil = Add(Relationship::kOther, Sex::kFemale, Clamp(son_copy.age - 5 + 3 * rng_.Normal(), 18, 60));
        dil.marital = MaritalStatus::kMarried;
        const Draft dil_copy = dil;
        const int grandchildren = 1 + std::min(rng_.Poisson(0.8 * lambda), 8);
        AddChildren(grandchildren, son_copy, dil_copy, dil_copy.age, Relationship::kGrandchild);
        const int unmarried = std::min(rng_.Poisson(0.4 * lambda), 6);
        for (int i = 0; i < unmarried && count_ < kMaxMembers; ++i) {
          const Sex sex = RandomSex();
          Draft& c = Add(Relationship::kChild, sex, std::clamp(son_copy.age - rng_.Between(2, 14), 14, 45));
          ChildOf(c, husband, wife);
          c.marital = MaritalStatus::kSingle;
        }
        break;
      }
    }
  }

  // k children, the eldest aged `eldest`, spacing 1.5–4 years.
  void AddChildrenFrom(int k, const Draft& father, const Draft& mother, int eldest) {
    int age = eldest;
    for (int i = 0; i < k && count_ < kMaxMembers && age >= 0; ++i) {
      Draft& c = Add(Relationship::kChild, RandomSex(), age);
      ChildOf(c, father, mother);
      c.marital = MaritalStatus::kSingle;
      if (c.age >= 20) {
        const double u = rng_.Uniform();
        if (u < 0.04 && c.sex == Sex::kFemale)
          c.marital = MaritalStatus::kDivorced;
        else if (u < 0.06)
          c.marital = MaritalStatus::kMarried;  // spouse away (migration, work)
      }
      age -= 1 + static_cast<int>(std::lround(0.5 + 2.5 * rng_.Uniform()));
    }
  }

  static EducationLevel RequiredLevel(Occupation o) {
    switch (o) {
      case Occupation::kTeacher:
      case Occupation::kHealthWorker:
      case Occupation::kManagerProfessional:
        return EducationLevel::kUpperSecondary;
      case Occupation::kCivilServant:
      case Occupation::kPrivateEmployee:
      case Occupation::kSecurityForces:
        return EducationLevel::kLowerSecondary;
      default:
        return EducationLevel::kNone;
    }
  }

  // ------------------------------------------------------------------------------------------------
  void AddHousehold() {
    auto& hh = out_.households;
    auto& ps = out_.persons;
    const auto h = static_cast<std::uint32_t>(hh.commune.size());
    const std::uint16_t commune = ctx_.eligible[ctx_.eligible_alias.Sample(rng_)];
    const Commune& c = (*ctx_.communes)[commune];
    const bool urban = c.urban_probability >= 1 || (c.urban_probability > 0 && rng_.Chance(c.urban_probability));
    BuildComposition(urban, ChildrenLambda(c, urban));
    const int n = count_;

    // Latent log consumption per person, then standardised welfare z drives every correlate.
    const WelfareModel& w = ctx_.welfare;
    const double mean = urban ? w.mean_urban : w.mean_rural;
    const double y = mean + ctx_.commune_effect[commune] - w.size_elasticity * (std::log(n) - std::log(4.0)) +
                     w.residual_sd * rng_.Normal();
    const double z = (y - mean) / kWelfareScale;

    const auto first = static_cast<std::uint32_t>(ps.household.size());
    bool has_young_child = false;
    for (int i = 0; i < n; ++i) {
      const Draft& d = members_[static_cast<std::size_t>(i)];
      if ((d.relationship == Relationship::kChild || d.relationship == Relationship::kGrandchild) && d.age < 21) {
        has_young_child = true;
      }
    }
    for (int i = 0; i < n; ++i) {
      AddPerson(members_[static_cast<std::size_t>(i)], h, commune, urban, z, has_young_child);
    }

    hh.first_person.push_back(first);
    hh.member_count.push_back(static_cast<std::uint8_t>(n));
    hh.true_household.push_back(h);
    hh.commune.push_back(commune);
    hh.urban.push_back(urban ? 1 : 0);
    hh.address_quarter.push_back(urban ? static_cast<std::uint16_t>(rng_.Below(kUrbanQuarters))
                                       : ctx_.surname.Sample(rng_));
    hh.address_street.push_back(static_cast<std::uint16_t>(1 + rng_.Below(urban ? 120 : 12)));
    hh.address_number.push_back(static_cast<std::uint16_t>(1 + rng_.Below(urban ? 250 : 60)));

    auto dwelling = static_cast<DwellingType>(ctx_.dwelling.Sample(urban, z, rng_));
    auto wall = static_cast<WallMaterial>(ctx_.wall.Sample(urban, z, rng_));
    auto roof = static_cast<RoofMaterial>(ctx_.roof.Sample(urban, z, rng_));
    auto water = static_cast<WaterSource>(ctx_.water.Sample(urban, z, rng_));
    auto sanitation = static_cast<Sanitation>(ctx_.sanitation.Sample(urban, z, rng_));
    auto electricity = static_cast<ElectricitySource>(ctx_.electricity.Sample(urban, z, rng_));
    if (dwelling == DwellingType::kShack) {
      if (rng_.Chance(0.75)) wall = WallMaterial::kWoodSheetMetal;
      if (rng_.Chance(0.8)) roof = RoofMaterial::kSheetMetal;
      if (water == WaterSource::kPipedInside && rng_.Chance(0.7)) water = WaterSource::kPublicStandpipe;
    } else if (dwelling == DwellingType::kApartment || dwelling == DwellingType::kVilla) {
      wall = WallMaterial::kConcreteBrick;
      roof = dwelling == DwellingType::kApartment ? RoofMaterial::kConcreteSlab : roof;
      if (rng_.Chance(0.95)) water = WaterSource::kPipedInside;
      if (urban) sanitation = Sanitation::kPublicSewer;
    }
    hh.dwelling_type.push_back(dwelling);
    hh.tenure.push_back(static_cast<Tenure>(ctx_.tenure.Sample(urban, z, rng_)));
    hh.rooms.push_back(static_cast<std::uint8_t>(
        std::clamp(1 + rng_.Poisson(std::max(0.3, 0.8 + 0.35 * std::sqrt(n) + 0.5 * z)), 1, 12)));
    hh.wall_material.push_back(wall);
    hh.roof_material.push_back(roof);
    hh.water_source.push_back(water);
    hh.electricity.push_back(electricity);
    hh.sanitation.push_back(sanitation);

    // Spending: shares of monthly household consumption, lognormal noise.
    const double monthly = std::exp(y) * n / 12.0;
    const bool grid = electricity == ElectricitySource::kGrid;
    const double elec = grid ? monthly * (urban ? 0.030 : 0.022) * std::exp(0.35 * rng_.Normal()) : 0;
    double water_spend = 0;
    if (water == WaterSource::kPipedInside) water_spend = monthly * 0.013 * std::exp(0.35 * rng_.Normal());
    if (water == WaterSource::kTankerVendor) water_spend = monthly * 0.025 * std::exp(0.35 * rng_.Normal());
    const bool dz = ctx_.config.country == Country::kAlgeria;
    const bool uses_butane = !(dz && urban && rng_.Chance(0.7));  // Algerian towns mostly on natural gas
    const double bottles = uses_butane ? rng_.Poisson(std::max(0.3, 0.6 + 0.2 * n + 0.25 * z)) : 0;
    const bool any_phone =
        std::any_of(members_.begin(), members_.begin() + n, [](const Draft& d) { return d.age >= 18; }) &&
        rng_.Chance(Logistic(2.8 + 0.8 * z));
    const double phone = any_phone ? monthly * 0.028 * std::exp(0.4 * rng_.Normal()) : 0;
    hh.spend_electricity.push_back(static_cast<std::uint32_t>(std::lround(elec)));
    hh.spend_water.push_back(static_cast<std::uint32_t>(std::lround(water_spend)));
    hh.spend_butane.push_back(
        static_cast<std::uint32_t>(std::lround(bottles * (dz ? kButanePriceDz : kButanePriceMa))));
    hh.spend_telephone.push_back(static_cast<std::uint32_t>(std::lround(phone)));

    const bool power = electricity != ElectricitySource::kNone;
    const double u = urban ? 1 : 0;
    hh.has_refrigerator.push_back(power && rng_.Chance(Logistic(0.2 + 1.3 * u + 1.5 * z)) ? 1 : 0);
    hh.has_television.push_back(power && rng_.Chance(Logistic(1.5 + 1.0 * u + 1.2 * z)) ? 1 : 0);
    hh.has_washing_machine.push_back(grid && rng_.Chance(Logistic(-1.5 + 1.5 * u + 1.5 * z)) ? 1 : 0);
    hh.has_car.push_back(rng_.Chance(Logistic(-2.5 + 1.0 * u + 1.6 * z)) ? 1 : 0);
    hh.has_motorcycle.push_back(rng_.Chance(Logistic(-1.2 - 0.6 * u + 0.5 * z)) ? 1 : 0);
    int livestock = 0;
    int land = 0;
    if (!urban) {
      if (rng_.Chance(Logistic(-0.2 + 0.3 * z))) livestock = 1 + rng_.Poisson(std::max(0.5, 3.0 + 1.5 * z));
      if (rng_.Chance(Logistic(-0.3 + 0.5 * z)))
        land = Clamp(10 * std::exp(0.3 + 0.6 * z + 0.8 * rng_.Normal()), 1, 5000);
    } else if (rng_.Chance(0.02)) {
      livestock = 1 + rng_.Poisson(2);
    }
    hh.livestock_units.push_back(static_cast<std::uint16_t>(livestock));
    hh.land_tenth_hectares.push_back(static_cast<std::uint16_t>(land));
    hh.registration_channel.push_back(rng_.Chance(Logistic(-0.3 + 0.8 * u + 0.6 * z))
                                          ? RegistrationChannel::kOnline
                                          : RegistrationChannel::kServiceCentre);
    hh.registration_date.push_back(ctx_.today - 30 - static_cast<DayNumber>(rng_.Below(3 * 365)));
    hh.status.push_back(HouseholdStatus::kActive);
    hh.latent_log_consumption.push_back(static_cast<float>(y));
  }

  void AddPerson(const Draft& d, std::uint32_t h, std::uint16_t commune, bool urban, double z, bool has_young_child) {
    auto& ps = out_.persons;
    const auto self = static_cast<std::uint32_t>(ps.household.size());
    const bool dz = ctx_.config.country == Country::kAlgeria;
    ps.household.push_back(h);
    ps.true_person.push_back(self);
    ps.relationship.push_back(d.relationship);
    ps.sex.push_back(d.sex);
    ps.given_name.push_back(d.given);
    ps.family_name.push_back(d.family);
    const auto& given = ctx_.given_refs[d.given];
    const auto& family = ctx_.surname_refs[d.family];
    ps.given_name_ar.push_back(given.arabic);
    ps.family_name_ar.push_back(family.arabic);
    ps.given_name_lat.push_back(given.latin);
    ps.family_name_lat.push_back(family.latin);
    ps.father_name_ar.push_back(ctx_.given_refs[d.father_given].arabic);
    ps.mother_given_name_ar.push_back(ctx_.given_refs[d.mother_given].arabic);
    ps.mother_family_name_ar.push_back(ctx_.surname_refs[d.mother_family].arabic);
    const int age = d.age;
    ps.birth_date.push_back(ctx_.today - (age * 365 + age / 4) - static_cast<DayNumber>(rng_.Below(365)) - 1);
    ps.birth_year_only.push_back(rng_.Chance(age >= 60 && !urban ? 0.25 : age >= 60 ? 0.08 : 0.005) ? 1 : 0);
    ps.birth_commune.push_back(
        rng_.Chance(d.relationship == Relationship::kChild || d.relationship == Relationship::kGrandchild ? 0.9 : 0.7)
            ? commune
            : static_cast<std::uint16_t>(ctx_.country_alias.Sample(rng_)));
    IdState id = IdState::kNone;
    if (dz)
      id = rng_.Chance(0.99) ? IdState::kPresent : IdState::kNone;  // NIN given at birth
    else if (age >= 18)
      id = rng_.Chance(0.97) ? IdState::kPresent : IdState::kNone;  // CIN from 18
    else if (age >= 16)
      id = rng_.Chance(0.2) ? IdState::kPresent : IdState::kNone;
    ps.national_id_state.push_back(static_cast<std::uint8_t>(id));
    const double phone_p = age >= 75 ? 0.5 : age >= 18 ? 0.92 : age >= 15 ? 0.4 : 0;
    ps.phone_state.push_back(static_cast<std::uint8_t>(rng_.Chance(phone_p) ? PhoneState::kOwn : PhoneState::kNone));
    ps.marital_status.push_back(d.marital);

    // Disability: prevalence rises with age and poverty.
    const double disability_p = (age < 15   ? 0.015
                                 : age < 40 ? 0.03
                                 : age < 60 ? 0.06
                                 : age < 75 ? 0.12
                                            : 0.25) *
                                std::exp(-0.25 * z);
    DisabilityType disability = DisabilityType::kNone;
    std::uint8_t percent = 0;
    if (rng_.Chance(disability_p)) {
      disability = static_cast<DisabilityType>(ctx_.disability_type.Sample(rng_));
      percent = kDisabilityPercents[ctx_.disability_percent.Sample(rng_)];
    }

    // Schooling (current enrolment) and education level (highest reached).
    const bool female = d.sex == Sex::kFemale;
    const double school_shift = 0.5 * z - (percent >= 50 ? 1.5 : 0);
    auto enrolled = [&](double urban_p, double rural_p, double slope) {
      return rng_.Chance(Logistic(Logit(urban ? urban_p : rural_p) + slope * school_shift));
    };
    auto adult_level = [&] {
      const double base = 0.6 - 0.03 * (std::max(age, 25) - 25) + (urban ? 0.5 : 0) - (female && age > 40 ? 0.4 : 0);
      const double e = base + 0.8 * z + rng_.Normal();
      return e < 0     ? EducationLevel::kNone
             : e < 0.9 ? EducationLevel::kPrimary
             : e < 1.6 ? EducationLevel::kLowerSecondary
             : e < 2.3 ? EducationLevel::kUpperSecondary
                       : EducationLevel::kHigher;
    };
    Schooling schooling = Schooling::kNotApplicable;
    EducationLevel level = EducationLevel::kNone;
    if (age < 6) {
      schooling = Schooling::kNotApplicable;
    } else if (age < 12) {
      if (enrolled(0.97, 0.92, 1.0))
        schooling = Schooling::kPrimary;
      else
        schooling = age <= 7 || rng_.Chance(0.5) ? Schooling::kNone : Schooling::kOutOfSchool;
    } else if (age < 15) {
      if (enrolled(0.90, 0.72, 1.0)) {
        schooling = Schooling::kLowerSecondary;
        level = EducationLevel::kPrimary;
      } else {
        schooling = rng_.Chance(0.8) ? Schooling::kOutOfSchool : Schooling::kNone;
        level = schooling == Schooling::kNone ? EducationLevel::kNone : EducationLevel::kPrimary;
      }
    } else if (age < 18) {
      if (enrolled(0.72, 0.42, 1.4)) {
        schooling = Schooling::kUpperSecondary;
        level = EducationLevel::kLowerSecondary;
      } else {
        const double v = rng_.Uniform();
        level = v < 0.1 ? EducationLevel::kNone : v < 0.7 ? EducationLevel::kPrimary : EducationLevel::kLowerSecondary;
        schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
      }
    } else if (age < 25) {
      if (enrolled(0.35, 0.12, 1.8)) {
        schooling = Schooling::kHigher;
        level = EducationLevel::kUpperSecondary;
      } else {
        level = std::min(adult_level(), EducationLevel::kUpperSecondary);
        schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
      }
    } else {
      level = adult_level();
      schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
    }

    // Employment, occupation, social security.
    EmploymentStatus employment = EmploymentStatus::kNotApplicable;
    Occupation occupation = Occupation::kNone;
    SocialSecurityFund fund = SocialSecurityFund::kNone;
    const bool in_school = schooling == Schooling::kPrimary || schooling == Schooling::kLowerSecondary ||
                           schooling == Schooling::kUpperSecondary || schooling == Schooling::kHigher;
    bool works = false;
    if (age >= 15) {
      const double v = rng_.Uniform();
      const bool severe = percent >= 60;
      if (in_school) {
        employment = EmploymentStatus::kStudent;
      } else if (age < 25) {
        if (!female)
          employment = v < 0.40   ? EmploymentStatus::kEmployed
                       : v < 0.70 ? EmploymentStatus::kUnemployed
                                  : EmploymentStatus::kInactive;
        else
          employment = v < 0.12                              ? EmploymentStatus::kEmployed
                       : v < 0.20                            ? EmploymentStatus::kUnemployed
                       : d.marital == MaritalStatus::kSingle ? EmploymentStatus::kInactive
                                                             : EmploymentStatus::kHomemaker;
      } else if (age < 60) {
        if (!female) {
          const double p_work = severe ? 0.3 : 0.80 + 0.04 * z;
          employment = v < p_work          ? EmploymentStatus::kEmployed
                       : v < p_work + 0.12 ? EmploymentStatus::kUnemployed
                                           : EmploymentStatus::kInactive;
        } else {
          const double p_work = std::clamp(
              0.16 + 0.07 * z + (level >= EducationLevel::kUpperSecondary ? 0.15 : 0) - (severe ? 0.1 : 0), 0.02, 0.7);
          employment = v < p_work                                                ? EmploymentStatus::kEmployed
                       : v < p_work + 0.05                                       ? EmploymentStatus::kUnemployed
                       : d.marital == MaritalStatus::kSingle && rng_.Chance(0.5) ? EmploymentStatus::kInactive
                                                                                 : EmploymentStatus::kHomemaker;
        }
      } else {
        const double retired = Logistic((female ? -2.5 : -0.6) + 1.0 * z + (urban ? 0.5 : 0) +
                                        (level >= EducationLevel::kUpperSecondary ? 1.0 : 0));
        if (v < retired)
          employment = EmploymentStatus::kRetired;
        else if (!female && age < 75 && rng_.Chance(urban ? 0.35 : 0.55))
          employment = EmploymentStatus::kEmployed;
        else
          employment = female ? EmploymentStatus::kHomemaker : EmploymentStatus::kInactive;
      }
      if (employment == EmploymentStatus::kEmployed) {
        works = true;
        // Skilled occupations need schooling: redraw a few times, then fall back to manual work.
        const auto& table = female ? ctx_.female_occupation : ctx_.male_occupation;
        for (int attempt = 0; attempt < 4; ++attempt) {
          occupation = static_cast<Occupation>(table.Sample(urban, z, rng_));
          if (level >= RequiredLevel(occupation)) break;
          if (attempt == 3) occupation = female ? Occupation::kArtisan : Occupation::kConstructionWorker;
        }
        switch (occupation) {
          case Occupation::kFarmer:
          case Occupation::kHerder:
          case Occupation::kFisher:
          case Occupation::kArtisan:
          case Occupation::kTrader:
          case Occupation::kStreetVendor:
            employment = EmploymentStatus::kSelfEmployed;
            break;
          case Occupation::kDriver:
            if (rng_.Chance(0.5)) employment = EmploymentStatus::kSelfEmployed;
            break;
          default:
            break;
        }
      }
    }
    if (works) {
      double formal = 0;
      switch (occupation) {
        case Occupation::kCivilServant:
        case Occupation::kTeacher:
        case Occupation::kHealthWorker:
        case Occupation::kSecurityForces:
          formal = 1;
          break;
        case Occupation::kPrivateEmployee:
        case Occupation::kFactoryWorker:
        case Occupation::kManagerProfessional:
          formal = Logistic(0.8 + 0.8 * z);
          break;
        default:
          formal = employment == EmploymentStatus::kSelfEmployed ? Logistic(-1.2 + 0.6 * z) : Logistic(-1.5 + 0.6 * z);
      }
      if (rng_.Chance(formal)) {
        const bool is_public = formal == 1;
        if (employment == EmploymentStatus::kSelfEmployed)
          fund = dz ? SocialSecurityFund::kCasnos : SocialSecurityFund::kCnss;
        else if (dz)
          fund = SocialSecurityFund::kCnas;
        else
          fund = is_public ? SocialSecurityFund::kCnops : SocialSecurityFund::kCnss;
      }
    } else if (employment == EmploymentStatus::kRetired) {
      fund = dz ? SocialSecurityFund::kCnr
                : (level >= EducationLevel::kUpperSecondary && rng_.Chance(0.5) ? SocialSecurityFund::kCmr
                                                                                : SocialSecurityFund::kCnss);
    }
    const bool salaried_fund =
        fund == SocialSecurityFund::kCnss || fund == SocialSecurityFund::kCnops || fund == SocialSecurityFund::kCnas;
    const bool allowances = has_young_child && employment == EmploymentStatus::kEmployed && salaried_fund &&
                            (d.relationship == Relationship::kHead || d.relationship == Relationship::kSpouse);

    ps.schooling.push_back(schooling);
    ps.education_level.push_back(level);
    ps.disability_type.push_back(disability);
    ps.disability_percent.push_back(percent);
    ps.employment_status.push_back(employment);
    ps.occupation.push_back(occupation);
    ps.social_security_fund.push_back(fund);
    ps.family_allowances.push_back(allowances ? 1 : 0);
  }

  // ------------------------------------------------------------------------------------------------
  // Duplicate registration of household `o` (local index), with realistic errors.
  void AddDuplicate(std::uint32_t o) {
    auto& hh = out_.households;
    auto& ps = out_.persons;
    const auto h = static_cast<std::uint32_t>(hh.commune.size());
#define SANAD_SYNTH_COPY_ROW(type, name) \
  {                                      \
    const type v = hh.name[o];           \
    hh.name.push_back(v);                \
  }
    SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_SYNTH_COPY_ROW)
#undef SANAD_SYNTH_COPY_ROW
    hh.true_household[h] = o;
    if (rng_.Chance(0.2)) {  // registered again after moving
      const std::uint16_t commune = ctx_.eligible[ctx_.eligible_alias.Sample(rng_)];
      const Commune& c = (*ctx_.communes)[commune];
      hh.commune[h] = commune;
      if (c.urban_probability >= 1)
        hh.urban[h] = 1;
      else if (c.urban_probability <= 0)
        hh.urban[h] = 0;
      hh.address_street[h] = static_cast<std::uint16_t>(1 + rng_.Below(hh.urban[h] ? 120 : 12));
      hh.address_quarter[h] =
          hh.urban[h] ? static_cast<std::uint16_t>(rng_.Below(kUrbanQuarters)) : ctx_.surname.Sample(rng_);
    }
    if (rng_.Chance(0.5)) hh.address_number[h] = static_cast<std::uint16_t>(1 + rng_.Below(250));
    if (rng_.Chance(0.3))
      hh.rooms[h] = static_cast<std::uint8_t>(std::max(1, hh.rooms[h] + (rng_.Chance(0.5) ? 1 : -1)));
    auto jitter = [&](std::uint32_t v) {
      return static_cast<std::uint32_t>(std::lround(v * std::exp(0.2 * rng_.Normal())));
    };
    hh.spend_electricity[h] = jitter(hh.spend_electricity[h]);
    hh.spend_water[h] = jitter(hh.spend_water[h]);
    hh.spend_telephone[h] = jitter(hh.spend_telephone[h]);
    for (auto* asset :
         {&hh.has_refrigerator, &hh.has_television, &hh.has_washing_machine, &hh.has_car, &hh.has_motorcycle}) {
      if (rng_.Chance(0.05)) (*asset)[h] ^= 1;
    }
    hh.registration_channel[h] = rng_.Chance(0.5) ? RegistrationChannel::kOnline : RegistrationChannel::kServiceCentre;
    hh.registration_date[h] =
        std::min<DayNumber>(ctx_.today - 1, hh.registration_date[h] + 30 + static_cast<DayNumber>(rng_.Below(600)));

    hh.first_person[h] = static_cast<std::uint32_t>(ps.household.size());
    const std::uint32_t first = hh.first_person[o];
    const std::uint32_t end = first + hh.member_count[o];
    for (std::uint32_t p = first; p < end; ++p) {
      if (p != first && !rng_.Chance(0.92)) continue;  // some members not declared again
      const auto q = static_cast<std::uint32_t>(ps.household.size());
#define SANAD_SYNTH_COPY_ROW(type, name) \
  {                                      \
    const type v = ps.name[p];           \
    ps.name.push_back(v);                \
  }
      SANAD_SYNTH_PERSON_COLUMNS(SANAD_SYNTH_COPY_ROW)
#undef SANAD_SYNTH_COPY_ROW
      ps.household[q] = h;
      ps.true_person[q] = p;
      ps.family_allowances[q] = 0;
      MutatePerson(q);
    }
    hh.member_count[h] = static_cast<std::uint8_t>(ps.household.size() - hh.first_person[h]);
  }

  TextRef Variant(const std::vector<TextRef>& variants, TextRef fallback) {
    if (variants.empty()) return fallback;
    return variants[rng_.Below(static_cast<std::uint32_t>(variants.size()))];
  }

  std::string_view TextOf(TextRef ref) const {
    return ref < ctx_.base_text ? ctx_.reference_pool->Get(ref) : out_.text.Get(ref - ctx_.base_text);
  }

  // One keyboard-style edit on an ASCII position: deletion, substitution, transposition, doubling.
  TextRef Typo(TextRef ref) {
    std::string s(TextOf(ref));
    std::vector<std::size_t> ascii;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (static_cast<unsigned char>(s[i]) < 0x80 && s[i] != ' ' && s[i] != '-') ascii.push_back(i);
    }
    if (ascii.empty()) return ref;
    const std::size_t i = ascii[rng_.Below(static_cast<std::uint32_t>(ascii.size()))];
    switch (rng_.Below(4)) {
      case 0:
        if (s.size() > 3) s.erase(i, 1);
        break;
      case 1:
        s[i] = static_cast<char>('a' + rng_.Below(26));
        break;
      case 2:
        if (i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0x80)
          std::swap(s[i], s[i + 1]);
        else
          s.insert(i, 1, s[i]);
        break;
      default:
        s.insert(i, 1, s[i]);
        break;
    }
    return ctx_.base_text + out_.text.Add(s);
  }

  void MutatePerson(std::uint32_t q) {
    auto& ps = out_.persons;
    const auto& given = ctx_.given_refs[ps.given_name[q]];
    const auto& family = ctx_.surname_refs[ps.family_name[q]];
    if (rng_.Chance(0.35)) ps.given_name_lat[q] = Variant(given.latin_variants, given.latin);
    if (rng_.Chance(0.25)) ps.family_name_lat[q] = Variant(family.latin_variants, family.latin);
    if (rng_.Chance(0.10)) ps.given_name_lat[q] = Typo(ps.given_name_lat[q]);
    if (rng_.Chance(0.08)) ps.family_name_lat[q] = Typo(ps.family_name_lat[q]);
    if (rng_.Chance(0.20)) ps.given_name_ar[q] = Variant(given.arabic_variants, given.arabic);
    if (rng_.Chance(0.15)) ps.family_name_ar[q] = Variant(family.arabic_variants, family.arabic);
    const double script = rng_.Uniform();
    if (script < 0.08) {  // Arabic script not captured
      ps.given_name_ar[q] = ps.family_name_ar[q] = ps.father_name_ar[q] = kNoText;
      ps.mother_given_name_ar[q] = ps.mother_family_name_ar[q] = kNoText;
    } else if (script < 0.13) {  // Latin script not captured
      ps.given_name_lat[q] = ps.family_name_lat[q] = kNoText;
    }
    if (rng_.Chance(0.15)) ps.father_name_ar[q] = kNoText;
    if (rng_.Chance(0.15)) ps.mother_given_name_ar[q] = ps.mother_family_name_ar[q] = kNoText;

    // Dates: day/month swapped, year off by one, only the year declared.
    const double v = rng_.Uniform();
    const CivilDate date = CivilFromDays(ps.birth_date[q]);
    if (ps.birth_year_only[q]) {
      if (v < 0.05) ps.birth_date[q] = DaysFromCivil(date.year + (rng_.Chance(0.5) ? 1 : -1), 1, 1);
    } else if (v < 0.06 && date.day <= 12 && date.day != date.month) {
      ps.birth_date[q] = DaysFromCivil(date.year, date.day, date.month);
    } else if (v < 0.11) {
      const int year = date.year + (rng_.Chance(0.5) ? 1 : -1);
      ps.birth_date[q] = DaysFromCivil(year, date.month, std::min(date.day, 28u));
    } else if (v < 0.15) {
      ps.birth_year_only[q] = 1;
    }

    if (ps.national_id_state[q] == static_cast<std::uint8_t>(IdState::kPresent)) {
      const double w = rng_.Uniform();
      if (w < 0.12)
        ps.national_id_state[q] = static_cast<std::uint8_t>(IdState::kNone);
      else if (w < 0.15)
        ps.national_id_state[q] = static_cast<std::uint8_t>(w < 0.135 ? IdState::kTypo : IdState::kTransposed);
    }
    const auto phone = static_cast<PhoneState>(ps.phone_state[q]);
    if (phone == PhoneState::kOwn) {
      const double w = rng_.Uniform();
      if (w < 0.30)
        ps.phone_state[q] = static_cast<std::uint8_t>(PhoneState::kOther);
      else if (w < 0.40)
        ps.phone_state[q] = static_cast<std::uint8_t>(PhoneState::kNone);
    } else if (CivilFromDays(ctx_.today).year - date.year >= 18 && rng_.Chance(0.2)) {
      ps.phone_state[q] = static_cast<std::uint8_t>(PhoneState::kOther);
    }
  }
};

}  // namespace

// Defined outside the anonymous namespace's class so that Context can point at it.
Result<Registry> Generate(const ReferenceData& reference, const Config& config, const ProgressFn& progress) {
  if (config.households < 1 || config.households > 50'000'000) {
    return Fail(Code::kInvalidArgument, "households must be between 1 and 50,000,000", "households");
  }
  if (!(config.duplicate_share >= 0 && config.duplicate_share <= 0.5)) {
    return Fail(Code::kInvalidArgument, "duplicate share must be between 0 and 0.5", "duplicates");
  }
  if (!(config.twin_share >= 0 && config.twin_share <= 1)) {
    return Fail(Code::kInvalidArgument, "twin share must be between 0 and 1", "twins");
  }
  const auto& communes = reference.Communes(config.country);
  if (communes.empty() || communes.size() > 65535) {
    return Fail(Code::kFailedPrecondition, "no communes loaded for the country", "country");
  }
  if (reference.given_names.size() > 255 || reference.surnames.size() > 255) {
    return Fail(Code::kFailedPrecondition, "at most 255 given names and 255 surnames are supported", "names");
  }

  Registry registry;
  registry.country = config.country;
  registry.seed = config.seed;
  registry.communes = communes;

  Context ctx;
  ctx.reference = &reference;
  ctx.config = config;
  ctx.communes = &registry.communes;
  ctx.welfare = config.country == Country::kMorocco ? kMoroccoWelfare : kAlgeriaWelfare;
  ctx.today = static_cast<DayNumber>(config.reference_date.time_since_epoch().count());

  std::vector<double> weights, all_weights;
  for (std::size_t i = 0; i < communes.size(); ++i) {
    all_weights.push_back(communes[i].household_weight);
    if (communes[i].area_code.starts_with(config.region) && communes[i].household_weight > 0) {
      ctx.eligible.push_back(static_cast<std::uint16_t>(i));
      weights.push_back(communes[i].household_weight);
    }
  }
  if (ctx.eligible.empty()) {
    return Fail(Code::kInvalidArgument,
                fmt::format("region '{}' matches no commune of {}", config.region, ToString(config.country)), "region");
  }
  ctx.eligible_alias = AliasTable(weights);
  ctx.country_alias = AliasTable(all_weights);

  // Commune random effects on consumption: seeded by (seed, commune), independent of chunks.
  ctx.commune_effect.resize(communes.size());
  for (std::size_t i = 0; i < communes.size(); ++i) {
    Rng rng(config.seed ^ (0xA24BAED4963EE407ULL * (i + 1)));
    ctx.commune_effect[i] = static_cast<float>(ctx.welfare.commune_sd * rng.Normal());
  }

  // Names: shared text pool holds every spelling a row may use.
  auto intern = [&](const NameEntry& e) {
    NameRefs r;
    r.arabic = registry.text.Add(e.arabic);
    r.latin = registry.text.Add(e.latin);
    for (const auto& v : e.latin_variants) r.latin_variants.push_back(registry.text.Add(v));
    for (const auto& v : e.arabic_variants) r.arabic_variants.push_back(registry.text.Add(v));
    return r;
  };
  const bool ma = config.country == Country::kMorocco;
  std::vector<double> male_w, female_w, surname_w;
  for (std::size_t i = 0; i < reference.given_names.size(); ++i) {
    const auto& e = reference.given_names[i];
    ctx.given_refs.push_back(intern(e));
    if (ma ? !e.morocco : !e.algeria) continue;
    auto& sampler = e.sex == Sex::kMale ? ctx.male : ctx.female;
    sampler.index.push_back(static_cast<std::uint8_t>(i));
    (e.sex == Sex::kMale ? male_w : female_w).push_back(e.weight);
  }
  for (std::size_t i = 0; i < reference.surnames.size(); ++i) {
    const auto& e = reference.surnames[i];
    ctx.surname_refs.push_back(intern(e));
    registry.surname_latin.push_back(ctx.surname_refs.back().latin);
    if (ma ? !e.morocco : !e.algeria) continue;
    ctx.surname.index.push_back(static_cast<std::uint8_t>(i));
    surname_w.push_back(e.weight);
  }
  if (male_w.empty() || female_w.empty() || surname_w.empty()) {
    return Fail(Code::kFailedPrecondition, "the name seed file lacks male, female or surname entries for the country",
                "names");
  }
  ctx.male.alias = AliasTable(male_w);
  ctx.female.alias = AliasTable(female_w);
  ctx.surname.alias = AliasTable(surname_w);
  ctx.base_text = static_cast<std::uint32_t>(registry.text.size());
  ctx.reference_pool = &registry.text;

  ctx.dwelling = WelfareTable(kDwelling);
  ctx.tenure = WelfareTable(kTenure);
  ctx.wall = WelfareTable(kWall);
  ctx.roof = WelfareTable(kRoof);
  ctx.water = WelfareTable(kWater);
  ctx.electricity = WelfareTable(kElectricity);
  ctx.sanitation = WelfareTable(kSanitation);
  ctx.male_occupation = WelfareTable(kMaleOccupation);
  ctx.female_occupation = WelfareTable(kFemaleOccupation);
  ctx.disability_type = AliasTable(kDisabilityTypeWeights);
  ctx.disability_percent = AliasTable(kDisabilityPercentWeights);

  // Generate chunks in parallel.
  const std::int64_t total = config.households;
  const std::int64_t chunk_count = (total + kChunkHouseholds - 1) / kChunkHouseholds;
  std::vector<Chunk> chunks(static_cast<std::size_t>(chunk_count));
  const int threads = internal::ResolveThreads(config.threads);
  std::atomic<std::int64_t> done{0};
  std::mutex progress_mutex;
  internal::ParallelFor(chunk_count, threads, [&](std::int64_t c) {
    const std::int64_t count = std::min(kChunkHouseholds, total - c * kChunkHouseholds);
    ChunkGenerator(ctx, c, chunks[static_cast<std::size_t>(c)]).Run(count);
    const std::int64_t now = done.fetch_add(count) + count;
    if (progress) {
      std::lock_guard lock(progress_mutex);
      progress(now, total);
    }
  });

  // Merge: offsets, then parallel column copies with index and text-ref fix-ups.
  std::vector<std::uint64_t> household_offset(chunks.size() + 1, 0), person_offset(chunks.size() + 1, 0),
      text_offset(chunks.size() + 1, 0);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    household_offset[c + 1] = household_offset[c] + chunks[c].households.commune.size();
    person_offset[c + 1] = person_offset[c] + chunks[c].persons.household.size();
    text_offset[c + 1] = text_offset[c] + chunks[c].text.size();
  }
  if (person_offset.back() >= std::numeric_limits<std::uint32_t>::max() ||
      registry.text.size() + text_offset.back() >= kNoText) {
    return Fail(Code::kResourceExhausted, "too many persons for 32-bit row indices", "households");
  }
  const std::size_t hh_total = household_offset.back();
  const std::size_t ps_total = person_offset.back();
#define SANAD_SYNTH_RESIZE(type, name) registry.households.name.resize(hh_total);
  SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_SYNTH_RESIZE)
#undef SANAD_SYNTH_RESIZE
#define SANAD_SYNTH_RESIZE(type, name) registry.persons.name.resize(ps_total);
  SANAD_SYNTH_PERSON_COLUMNS(SANAD_SYNTH_RESIZE)
#undef SANAD_SYNTH_RESIZE
  const std::uint32_t base_text = ctx.base_text;
  for (const auto& chunk : chunks) registry.text.Append(chunk.text);

  internal::ParallelFor(chunk_count, threads, [&](std::int64_t ci) {
    const auto c = static_cast<std::size_t>(ci);
    Chunk& chunk = chunks[c];
    const auto ho = static_cast<std::uint32_t>(household_offset[c]);
    const auto po = static_cast<std::uint32_t>(person_offset[c]);
    const auto to = static_cast<std::uint32_t>(text_offset[c]);
    auto& H = registry.households;
    auto& P = registry.persons;
#define SANAD_SYNTH_COPY(type, name) \
  std::copy(chunk.households.name.begin(), chunk.households.name.end(), H.name.begin() + ho);
    SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_SYNTH_COPY)
#undef SANAD_SYNTH_COPY
#define SANAD_SYNTH_COPY(type, name) \
  std::copy(chunk.persons.name.begin(), chunk.persons.name.end(), P.name.begin() + po);
    SANAD_SYNTH_PERSON_COLUMNS(SANAD_SYNTH_COPY)
#undef SANAD_SYNTH_COPY
    const std::size_t nh = chunk.households.commune.size();
    const std::size_t np = chunk.persons.household.size();
    for (std::size_t i = ho; i < ho + nh; ++i) {
      H.first_person[i] += po;
      H.true_household[i] += ho;
    }
    for (std::size_t i = po; i < po + np; ++i) {
      P.household[i] += ho;
      P.true_person[i] += po;
      for (auto* column : {&P.given_name_ar, &P.family_name_ar, &P.given_name_lat, &P.family_name_lat,
                           &P.father_name_ar, &P.mother_given_name_ar, &P.mother_family_name_ar}) {
        TextRef& r = (*column)[i];
        if (r != kNoText && r >= base_text) r += to;
      }
    }
    chunk = Chunk{};  // release memory early
  });
  MakeTwins(registry, config.twin_share);
  return registry;
}

}  // namespace sanad::synth

// Internal to the generator: the read-only context shared by all workers and the generator of one
// chunk of households. Its members are defined by topic: household_composition.cpp (who lives in a
// household), household_attributes.cpp (dwelling, spending, assets), person_attributes.cpp (schooling,
// work, disability, social security) and duplicate_registrations.cpp (a household registered twice,
// with the errors of a second registration); generator.cpp drives the chunks and merges them.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "synth/generator.h"
#include "synth/population_model.h"
#include "synth/reference_data.h"
#include "synth/registry.h"
#include "synth/sampling.h"

namespace sanad::synth::internal {

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

// Generates the households of one chunk into `out`, with chunk-local row indices and text refs. The RNG
// stream is seeded from (seed, chunk index) and the calls below draw from it in a fixed order: moving a
// draw changes every generated registry.
class ChunkGenerator {
 public:
  ChunkGenerator(const Context& ctx, std::int64_t chunk_index, Chunk& out)
      : ctx_(ctx),
        rng_(ctx.config.seed * 0x9E3779B97F4A7C15ULL ^
             (static_cast<std::uint64_t>(chunk_index) + 1) * 0xD1B54A32D192ED03ULL),
        out_(out) {}

  // `count` household rows: originals, and with probability duplicate_share a duplicate of an earlier
  // original of this chunk.
  void Run(std::int64_t count);

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

  // household_composition.cpp
  void AddChildren(int k, const Draft& father, const Draft& mother, int mother_age, Relationship rel);
  double ChildrenLambda(const Commune& c, bool urban) const;
  void BuildComposition(bool urban, double lambda);
  void AddChildrenFrom(int k, const Draft& father, const Draft& mother, int eldest);

  // household_attributes.cpp
  void AddHousehold();

  // person_attributes.cpp
  void AddPerson(const Draft& d, std::uint32_t h, std::uint16_t commune, bool urban, double z, bool has_young_child);

  // duplicate_registrations.cpp
  void AddDuplicate(std::uint32_t o);
  TextRef Variant(const std::vector<TextRef>& variants, TextRef fallback);
  std::string_view TextOf(TextRef ref) const;
  TextRef Typo(TextRef ref);
  void MutatePerson(std::uint32_t q);
};

}  // namespace sanad::synth::internal

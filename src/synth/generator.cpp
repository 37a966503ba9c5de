#include "synth/generator.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>

#include <fmt/format.h>

#include "synth/chunk_generator.h"
#include "synth/parallel.h"
#include "synth/twins.h"

namespace sanad::synth {
namespace internal {

void ChunkGenerator::Run(std::int64_t count) {
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

}  // namespace internal

// Generate assembles the generator's internal parts (sampling, model parameters, chunk generator).
using namespace internal;

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
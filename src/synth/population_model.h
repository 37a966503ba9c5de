// Parameters of the synthetic population model. All are assumptions chosen to give plausible Maghrebi
// orders of magnitude; they are documented in docs/data-formats.md ("How the synthetic registry is
// generated").
#pragma once

#include <array>
#include <cstdint>
#include <iterator>

#include "synth/registry.h"
#include "synth/sampling.h"
#include "synth/vocabulary.h"

namespace sanad::synth::internal {

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

}  // namespace sanad::synth::internal

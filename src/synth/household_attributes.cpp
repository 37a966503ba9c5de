// The household row of a generated household: commune, setting, latent consumption (welfare z), dwelling,
// amenities, monthly spending, assets, land and livestock, registration.
#include "synth/chunk_generator.h"

namespace sanad::synth::internal {

void ChunkGenerator::AddHousehold() {
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
  hh.spend_butane.push_back(static_cast<std::uint32_t>(std::lround(bottles * (dz ? kButanePriceDz : kButanePriceMa))));
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

}  // namespace sanad::synth::internal

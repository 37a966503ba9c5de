// Duplicate registrations: a household registered a second time, with the errors a second registration
// brings (a move, members not declared again, name variants and typos, date slips, ids and phones lost).
#include "synth/chunk_generator.h"

#include "synth/calendar.h"

namespace sanad::synth::internal {

// Duplicate registration of household `o` (local index), with realistic errors.
void ChunkGenerator::AddDuplicate(std::uint32_t o) {
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
  if (rng_.Chance(0.3)) hh.rooms[h] = static_cast<std::uint8_t>(std::max(1, hh.rooms[h] + (rng_.Chance(0.5) ? 1 : -1)));
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

TextRef ChunkGenerator::Variant(const std::vector<TextRef>& variants, TextRef fallback) {
  if (variants.empty()) return fallback;
  return variants[rng_.Below(static_cast<std::uint32_t>(variants.size()))];
}

std::string_view ChunkGenerator::TextOf(TextRef ref) const {
  return ref < ctx_.base_text ? ctx_.reference_pool->Get(ref) : out_.text.Get(ref - ctx_.base_text);
}

// One keyboard-style edit on an ASCII position: deletion, substitution, transposition, doubling.
TextRef ChunkGenerator::Typo(TextRef ref) {
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

void ChunkGenerator::MutatePerson(std::uint32_t q) {
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

}  // namespace sanad::synth::internal

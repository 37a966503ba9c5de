#include "synth/identifiers.h"

#include <array>
#include <charconv>
#include <string_view>

#include "synth/calendar.h"

namespace sanad::synth {
namespace {

// Generic quarter names for urban addresses (synthetic, not a gazetteer).
constexpr std::array<std::string_view, 24> kQuarters = {
    "Al Amal",    "Nahda",    "Salam",       "Al Massira", "Al Fath",  "Mohammadi", "Al Wahda", "Riad",
    "Al Qods",    "Essaada",  "Al Andalous", "Al Farah",   "Ennour",   "Al Karama", "Chabab",   "Al Majd",
    "Al Hassani", "Al Matar", "Al Manar",    "Errahma",    "Al Wifaq", "Annasr",    "El Bahia", "Zitoune"};

// Letters assumed for CIN prefixes by Moroccan region 1..12 (synthetic; disjoint so ids stay unique).
constexpr std::array<std::string_view, 13> kCinLetters = {"Z",  "KL", "FS", "CD", "AG", "IQ", "BM",
                                                          "EH", "UT", "JP", "N",  "V",  "W"};

void AppendUnsigned(std::string& out, std::uint64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void AppendPadded(std::string& out, std::uint64_t value, int width) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

__extension__ typedef unsigned __int128 Uint128;

// Prime, coprime with every modulus used below (they only have the prime factors 2, 3 and 5).
constexpr std::uint64_t kMultiplier = 2'654'435'761ULL;

// A bijection of [0, modulus) keyed by the seed: multiply by a constant coprime to the modulus, add a key.
std::uint64_t Permute(std::uint64_t x, std::uint64_t seed, std::uint64_t modulus, std::uint64_t multiplier) {
  const Uint128 v = static_cast<Uint128>(x % modulus) * multiplier + (seed * 0x9E3779B9ULL) % modulus;
  return static_cast<std::uint64_t>(v % modulus);
}

std::size_t TruePerson(const Registry& r, std::size_t p) { return r.persons.true_person[p]; }

}  // namespace

void AppendHouseholdRef(std::string& out, std::size_t household) {
  out.push_back('H');
  AppendPadded(out, household + 1, 9);
}

void AppendRecordId(std::string& out, std::size_t person) {
  out.push_back('P');
  AppendPadded(out, person + 1, 9);
}

void AppendDate(std::string& out, DayNumber day) {
  const CivilDate d = CivilFromDays(day);
  AppendPadded(out, static_cast<std::uint64_t>(d.year), 4);
  out.push_back('-');
  AppendPadded(out, d.month, 2);
  out.push_back('-');
  AppendPadded(out, d.day, 2);
}

void AppendBirthDate(std::string& out, const Registry& registry, std::size_t person) {
  const DayNumber day = registry.persons.birth_date[person];
  if (registry.persons.birth_year_only[person]) {
    AppendPadded(out, static_cast<std::uint64_t>(CivilFromDays(day).year), 4);
  } else {
    AppendDate(out, day);
  }
}

void AppendNationalId(std::string& out, const Registry& registry, std::size_t person) {
  const auto state = static_cast<IdState>(registry.persons.national_id_state[person]);
  if (state == IdState::kNone) return;
  const std::size_t t = TruePerson(registry, person);
  const std::size_t begin = out.size();
  if (registry.country == Country::kMorocco) {
    const auto& commune = registry.communes[registry.households.commune[registry.persons.household[t]]];
    const std::string_view letters = kCinLetters[commune.region < kCinLetters.size() ? commune.region : 0];
    // v = a keyed bijection of t over [0, letters × 27 × 10^6): letter, second letter (or none), digits.
    const std::uint64_t v = Permute(t, registry.seed, letters.size() * 27'000'000, kMultiplier);
    const std::uint64_t rest = v / letters.size();
    const std::uint64_t hi = rest / 1'000'000;
    out.push_back(letters[v % letters.size()]);
    if (hi > 0) out.push_back(static_cast<char>('A' + hi - 1));
    AppendUnsigned(out, rest % 1'000'000);
  } else {
    const auto& p = registry.persons;
    out.push_back('1');
    out.push_back(p.sex[t] == Sex::kMale ? '0' : '1');
    AppendPadded(out, static_cast<std::uint64_t>(CivilFromDays(p.birth_date[t]).year % 100), 2);
    const std::string_view code = registry.communes[p.birth_commune[t]].area_code;
    out.append(code.substr(code.size() - 4));
    AppendPadded(out, Permute(t, registry.seed, 10'000'000'000ULL, kMultiplier), 10);
  }
  if (state == IdState::kTypo) {  // one digit changed, position and value derived from the row
    std::size_t digits = 0;
    for (std::size_t i = begin; i < out.size(); ++i) digits += out[i] >= '0' && out[i] <= '9';
    std::size_t target = person % digits;
    for (std::size_t i = begin; i < out.size(); ++i) {
      if (out[i] < '0' || out[i] > '9') continue;
      if (target-- == 0) {
        out[i] = static_cast<char>('0' + (out[i] - '0' + 1 + person % 9) % 10);
        break;
      }
    }
  }
  if (state == IdState::kTransposed) {  // two adjacent different characters swapped, position from the row
    const std::size_t n = out.size() - begin;
    for (std::size_t k = 0; n >= 2 && k < n - 1; ++k) {
      const std::size_t i = begin + (person + k) % (n - 1);
      if (out[i] != out[i + 1]) {
        std::swap(out[i], out[i + 1]);
        break;
      }
    }
  }
}

void AppendPhone(std::string& out, const Registry& registry, std::size_t person) {
  const auto state = static_cast<PhoneState>(registry.persons.phone_state[person]);
  if (state == PhoneState::kNone) return;
  const std::uint64_t v = state == PhoneState::kOwn ? 2 * TruePerson(registry, person) : 2 * person + 1;
  const bool ma = registry.country == Country::kMorocco;
  const std::string_view first = ma ? "67" : "567";
  const std::uint64_t w = Permute(v, registry.seed + 17, first.size() * 100'000'000, kMultiplier);
  out.append(ma ? "+212" : "+213");
  out.push_back(first[w % first.size()]);
  AppendPadded(out, w / first.size(), 8);
}

void AppendSocialSecurityNumber(std::string& out, const Registry& registry, std::size_t person) {
  if (registry.persons.social_security_fund[person] == SocialSecurityFund::kNone) return;
  const std::size_t t = TruePerson(registry, person);
  if (registry.country == Country::kMorocco) {
    AppendPadded(out, 100'000'000 + Permute(t, registry.seed + 29, 900'000'000, kMultiplier), 9);
  } else {
    AppendPadded(out, 100'000'000'000ULL + Permute(t, registry.seed + 29, 900'000'000'000ULL, kMultiplier), 12);
  }
}

void AppendAddress(std::string& out, const Registry& registry, std::size_t household) {
  const auto& h = registry.households;
  const bool ma = registry.country == Country::kMorocco;
  if (h.urban[household]) {
    AppendUnsigned(out, h.address_number[household]);
    out.append(" Rue ");
    AppendUnsigned(out, h.address_street[household]);
    out.append(ma ? ", Hay " : ", Cité ");
    out.append(kQuarters[h.address_quarter[household] % kQuarters.size()]);
  } else {
    // Rural: a douar / village named after a family (surname index in address_quarter).
    const std::size_t surname = h.address_quarter[household];
    out.append(ma ? "Douar " : "Village ");
    if (surname < registry.surname_latin.size()) out.append(registry.text.Get(registry.surname_latin[surname]));
    out.append(", N° ");
    AppendUnsigned(out, h.address_number[household]);
  }
}

}  // namespace sanad::synth

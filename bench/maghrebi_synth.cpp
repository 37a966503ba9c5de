#include "maghrebi_synth.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "core/csv.h"
#include "text/utf8.h"

namespace sanad::bench {
namespace {

using linkage::InField;
using Rng = std::mt19937_64;

struct Name {
  std::string latin, arabic;
  std::vector<std::string> variants;  // other Latin spellings
};

struct Pool {
  std::vector<Name> names;
  std::discrete_distribution<std::size_t> pick;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(sep, i);
    if (j == std::string::npos) j = s.size();
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool Chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
std::size_t Below(Rng& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

// French/English transliteration habits (docs/domain.md §4.1) applied to a Latin spelling.
std::string SpellingVariant(std::string s, Rng& rng) {
  static const std::vector<std::pair<std::string, std::string>> kSwaps = {
      {"ou", "u"},     {"u", "ou"},     {"ch", "sh"},   {"dj", "j"},      {"j", "dj"}, {"ss", "s"}, {"mm", "m"},
      {"ll", "l"},     {"i", "y"},      {"y", "i"},     {"e", "a"},       {"a", "e"},  {"k", "q"},  {"q", "k"},
      {"Ben ", "Ben"}, {"Ben", "Ben "}, {"El ", "El-"}, {"Ait ", "Aït "}, {"c", "ss"}};
  for (int tries = 0; tries < 6; ++tries) {
    const auto& [from, to] = kSwaps[Below(rng, kSwaps.size())];
    const auto pos = s.find(from, 1);
    if (pos == std::string::npos) continue;
    s.replace(pos, from.size(), to);
    break;
  }
  if (Chance(rng, 0.2) && s.size() > 3 && s.back() != 'e') s.push_back('e');
  return s;
}

// One keying error: deletion, insertion, substitution or transposition of a code point.
std::string Typo(const std::string& s, Rng& rng, bool arabic) {
  std::u32string cps = text::DecodeUtf8(s);
  if (cps.size() < 3) return s;
  static const std::u32string kLatin = U"abcdefghijklmnoprstuvyz";
  static const std::u32string kArabic = U"ابتجحدرسعفقكلمنهوي";
  const std::u32string& alphabet = arabic ? kArabic : kLatin;
  const std::size_t i = 1 + Below(rng, cps.size() - 1);
  switch (Below(rng, 4)) {
    case 0:
      cps.erase(i, 1);
      break;
    case 1:
      cps.insert(cps.begin() + static_cast<std::ptrdiff_t>(i), alphabet[Below(rng, alphabet.size())]);
      break;
    case 2:
      cps[i] = alphabet[Below(rng, alphabet.size())];
      break;
    default:
      if (i + 1 < cps.size()) std::swap(cps[i], cps[i + 1]);
      break;
  }
  return text::EncodeUtf8(cps);
}

// Orthographic variation inside Arabic script: hamza on alef, teh marbuta/heh, alef maqsura/yeh.
std::string ArabicVariant(std::string s, Rng& rng) {
  static const std::vector<std::pair<std::string, std::string>> kSwaps = {
      {"أ", "ا"},    {"إ", "ا"},     {"ا", "أ"}, {"ة", "ه"}, {"ى", "ي"}, {"الرحمن", "الرحمان"},
      {"بن ", "بن"}, {"عبد ", "عبد"}};
  const auto& [from, to] = kSwaps[Below(rng, kSwaps.size())];
  const auto pos = s.find(from);
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

struct Person {
  std::uint8_t sex;  // 'm'/'f'
  std::size_t given, family, father;
  int year, month, day;
  std::string commune, national_id, phone;
};

struct Pools {
  Pool male, female, family;
  std::vector<std::string> communes;
};

Result<Pools> LoadPools(const std::string& root) {
  Pools p;
  std::vector<Name> male, female, family;
  std::vector<double> wm, wf, wfam;
  // Variant spellings of given names.
  std::vector<std::pair<std::string, std::vector<std::string>>> variants;
  {
    auto r = csv::Reader::Open(root + "/data/names/maghreb_name_variants.csv");
    if (!r) return std::unexpected(r.error());
    std::vector<std::string> row;
    while (auto ok = r->Next(row)) {
      if (!*ok) break;
      variants.emplace_back(row[0], Split(row[3], '|'));
    }
  }
  {
    auto r = csv::Reader::Open(root + "/data/names/maghreb_names_synthetic_seed.csv");
    if (!r) return std::unexpected(r.error());
    std::vector<std::string> row;
    while (auto ok = r->Next(row)) {
      if (!*ok) break;
      Name n{row[3], row[4], {}};
      for (auto& [canon, vs] : variants)
        if (canon == n.latin) n.variants = vs;
      const double w = std::stod(row[6]);
      if (row[0] == "given" && row[1] == "M") {
        male.push_back(n);
        wm.push_back(w);
      } else if (row[0] == "given") {
        female.push_back(n);
        wf.push_back(w);
      } else {
        family.push_back(n);
        wfam.push_back(w);
      }
    }
  }
  // The long tail of family names: the Arabic→Latin name pairs of data/names/arabic_latin, Zipf-weighted
  // so that the seed surnames (assumed weights summing to ~9) keep about 40 % of persons.
  {
    std::ifstream in(root + "/data/names/arabic_latin/google_ar2en.txt");
    if (!in) return Fail(Code::kNotFound, "cannot open google_ar2en.txt");
    std::string line;
    std::size_t rank = 0;
    double seed_total = 0;
    for (double w : wfam) seed_total += w;
    std::vector<double> tail;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      std::string ar = line.substr(0, tab), lat = line.substr(tab + 1);
      if (lat.size() < 4 || lat.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos ||
          ar.find(' ') != std::string::npos)
        continue;
      lat[0] = static_cast<char>(lat[0] - 32);
      family.push_back({lat, ar, {}});
      tail.push_back(1.0 / static_cast<double>(++rank + 10));
    }
    double tail_total = 0;
    for (double w : tail) tail_total += w;
    for (double w : tail) wfam.push_back(w * seed_total * 1.5 / tail_total);
  }
  {
    auto r = csv::Reader::Open(root + "/data/admin/ma_communes_1503.csv");
    if (!r) return std::unexpected(r.error());
    std::vector<std::string> row;
    while (auto ok = r->Next(row)) {
      if (!*ok) break;
      p.communes.push_back(row[0]);
    }
  }
  p.male = {male, std::discrete_distribution<std::size_t>(wm.begin(), wm.end())};
  p.female = {female, std::discrete_distribution<std::size_t>(wf.begin(), wf.end())};
  p.family = {family, std::discrete_distribution<std::size_t>(wfam.begin(), wfam.end())};
  return p;
}

std::string Province(const std::string& commune) { return commune.substr(0, commune.find('.', 3)); }

class Writer {
 public:
  Writer(const Pools& pools, Rng& rng, SynthRegistry& reg, double id_typo_share)
      : pools_(pools), rng_(rng), reg_(reg), id_typo_share_(id_typo_share) {}

  // Writes one record of `p`. `dup` = a later registration, with errors.
  void Emit(const Person& p, std::uint32_t person_id, bool dup, int script_choice) {
    linkage::RawRecord r;
    r.id = fmt::format("R{:08d}", reg_.records.size());
    const Pool& gp = p.sex == 'm' ? pools_.male : pools_.female;
    const Name& g = gp.names[p.given];
    const Name& f = pools_.family.names[p.family];
    const Name& fa = pools_.male.names[p.father];
    const bool latin = script_choice != 1, arabic = script_choice != 2;  // 0 both, 1 Arabic only, 2 Latin only
    auto lat = [&](const Name& n) {
      if (!dup) return n.latin;
      std::string s = n.latin;
      if (!n.variants.empty() && Chance(rng_, 0.5))
        s = n.variants[Below(rng_, n.variants.size())];
      else if (Chance(rng_, 0.3))
        s = SpellingVariant(s, rng_);
      if (Chance(rng_, 0.08)) s = Typo(s, rng_, false);
      if (Chance(rng_, 0.2)) std::transform(s.begin(), s.end(), s.begin(), ::toupper);
      return s;
    };
    auto ar = [&](const Name& n) {
      if (!dup) return n.arabic;
      std::string s = n.arabic;
      if (Chance(rng_, 0.3)) s = ArabicVariant(s, rng_);
      if (Chance(rng_, 0.06)) s = Typo(s, rng_, true);
      return s;
    };
    if (latin) {
      r[InField::kGivenLat] = lat(g);
      r[InField::kFamilyLat] = lat(f);
    }
    if (arabic) {
      r[InField::kGivenAr] = ar(g);
      r[InField::kFamilyAr] = ar(f);
    }
    if (!dup || Chance(rng_, 0.7)) r[InField::kFatherAr] = ar(fa);
    r[InField::kSex] = p.sex == 'm' ? (Chance(rng_, 0.5) ? "M" : "H") : "F";
    int y = p.year, m = p.month, d = p.day;
    if (dup) {
      const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
      if (u < 0.06 && d <= 12)
        std::swap(d, m);
      else if (u < 0.12)
        y += Chance(rng_, 0.5) ? 1 : -1;
      else if (u < 0.16)
        d = d % 10 + 10 * ((d / 10 + 1) % 3);  // one digit of the day
      else if (u < 0.20) {
        m = 1;
        d = 1;
      }  // unknown day: 1 January, common in registers
    }
    if (!dup || Chance(rng_, 0.97))
      r[InField::kBirthDate] = fmt::format("{:04d}-{:02d}-{:02d}", y, std::max(1, m), std::max(1, std::min(d, 28)));
    std::string commune = p.commune;
    if (dup && Chance(rng_, 0.10)) {
      // Another commune of the same province (declared where the office is), when one exists.
      const std::string prov = Province(commune);
      for (int t = 0; t < 30; ++t) {
        const auto& c = pools_.communes[Below(rng_, pools_.communes.size())];
        if (Province(c) == prov) {
          commune = c;
          break;
        }
      }
    }
    if (!dup || Chance(rng_, 0.95)) r[InField::kCommune] = commune;
    if (!p.national_id.empty() && (!dup || Chance(rng_, 0.5))) {
      const bool typo = dup && Chance(rng_, id_typo_share_);
      r[InField::kNationalId] = typo ? MistypeId(p.national_id, rng_) : p.national_id;
      reg_.mistyped_ids += typo;
    }
    if (!p.phone.empty() && (!dup || Chance(rng_, 0.6)))
      r[InField::kPhone] = (dup && Chance(rng_, 0.3)) ? "+212" + p.phone.substr(1) : p.phone;
    reg_.records.push_back(std::move(r));
    reg_.person.push_back(person_id);
  }

 private:
  const Pools& pools_;
  Rng& rng_;
  SynthRegistry& reg_;
  double id_typo_share_;
};

}  // namespace

std::string MistypeId(const std::string& id, Rng& rng) {
  if (id.size() < 2) return id;
  std::string s = id;
  if (Chance(rng, 0.5)) {
    // Swap two adjacent characters that differ (an id of one repeated character is left alone).
    for (int tries = 0; tries < 16; ++tries) {
      const std::size_t i = Below(rng, s.size() - 1);
      if (s[i] == s[i + 1]) continue;
      std::swap(s[i], s[i + 1]);
      return s;
    }
  }
  const std::size_t i = Below(rng, s.size());
  const bool digit = s[i] >= '0' && s[i] <= '9';
  const char base = digit ? '0' : 'A';
  const std::size_t n = digit ? 10 : 26;
  const std::size_t from = static_cast<std::size_t>(s[i] - base) % n;
  s[i] = static_cast<char>(base + (from + 1 + Below(rng, n - 1)) % n);
  return s;
}

Result<SynthRegistry> GenerateMaghrebi(const std::string& root, const SynthOptions& o) {
  auto pools = LoadPools(root);
  if (!pools) return std::unexpected(pools.error());
  Rng rng(o.seed);
  SynthRegistry reg;
  reg.records.reserve(o.records + 16);
  Writer w(*pools, rng, reg, o.id_typo_share);
  std::uint32_t next_person = 0;
  std::uint64_t phone_seq = 0;
  auto national_id = [&](std::uint32_t person) {
    static const char* kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    // 7919 is prime to 10^6, so the number part is a permutation of the person index (unique below 10^6
    // persons) and consecutive persons (brothers) get unrelated numbers, as real CIN numbers are.
    const std::uint64_t h = static_cast<std::uint64_t>(person) * 0x9E3779B97F4A7C15ULL;
    return fmt::format("{}{}{:06d}", kLetters[(h >> 40) % 23], kLetters[(h >> 50) % 23],
                       (static_cast<std::uint64_t>(person) * 7919 + 104729) % 1000000);
  };
  auto new_person = [&](std::uint8_t sex) {
    Person p;
    p.sex = sex;
    p.given = sex == 'm' ? pools->male.pick(rng) : pools->female.pick(rng);
    p.family = pools->family.pick(rng);
    p.father = pools->male.pick(rng);
    p.year = 1940 + static_cast<int>(Below(rng, 80));
    p.month = 1 + static_cast<int>(Below(rng, 12));
    p.day = 1 + static_cast<int>(Below(rng, 28));
    p.commune = pools->communes[Below(rng, pools->communes.size())];
    if (Chance(rng, 0.7)) p.national_id = national_id(next_person);
    if (Chance(rng, 0.5)) p.phone = fmt::format("06{:08d}", (phone_seq++ * 7919 + 12345) % 100000000);
    return p;
  };
  auto script = [&] {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return u < 0.5 ? 0 : u < 0.75 ? 1 : 2;
  };
  while (reg.records.size() < o.records) {
    const Person p = new_person(Chance(rng, 0.5) ? 'm' : 'f');
    const std::uint32_t id = next_person++;
    const int s0 = script();
    const std::size_t first = reg.records.size();
    w.Emit(p, id, false, s0);
    if (Chance(rng, o.duplicate_share)) {
      const int copies = Chance(rng, 1.0 / 6) ? 2 : 1;
      for (int k = 0; k < copies; ++k) {
        const int s1 = script();
        if ((s0 == 1 && s1 == 2) || (s0 == 2 && s1 == 1)) ++reg.cross_script_duplicates;
        w.Emit(p, id, true, s1);
      }
    }
    if (Chance(rng, o.brother_share)) {
      // A brother: same family, father, commune and household phone; own given name, birth date, id.
      Person b = new_person('m');
      b.family = p.family;
      b.father = p.father;
      b.commune = p.commune;
      b.phone = p.phone;
      b.year = p.year + 2 + static_cast<int>(Below(rng, 9));
      while (b.given == p.given && p.sex == 'm') b.given = pools->male.pick(rng);
      reg.brothers.emplace_back(first, reg.records.size());
      w.Emit(b, next_person++, false, script());
      ++reg.brother_pairs;
    }
    if (Chance(rng, o.twin_share)) {
      // A twin: everything of the household and the birth date shared; another given name, and the
      // twin's own records may be duplicated like anyone's.
      Person t = new_person(Chance(rng, 0.5) ? p.sex : (p.sex == 'm' ? 'f' : 'm'));
      t.family = p.family;
      t.father = p.father;
      t.commune = p.commune;
      t.phone = p.phone;
      t.year = p.year;
      t.month = p.month;
      t.day = p.day;
      Pool& tp = t.sex == 'm' ? pools->male : pools->female;
      while (t.sex == p.sex && t.given == p.given) t.given = tp.pick(rng);
      const std::uint32_t tid = next_person++;
      reg.twins.emplace_back(first, reg.records.size());
      w.Emit(t, tid, false, script());
      if (Chance(rng, o.duplicate_share)) w.Emit(t, tid, true, script());
    }
  }
  reg.records.resize(std::min(reg.records.size(), o.records));
  std::erase_if(reg.brothers, [&](const auto& b) { return b.second >= reg.records.size(); });
  std::erase_if(reg.twins, [&](const auto& t) { return t.second >= reg.records.size(); });
  reg.brother_pairs = reg.brothers.size();
  reg.person.resize(reg.records.size());
  return reg;
}

Status WriteSanadCsv(const SynthRegistry& reg, const std::string& path) {
  std::ofstream out(path);
  if (!out) return Fail(Code::kNotFound, fmt::format("cannot write '{}'", path));
  out << "record_id,given_name_ar,family_name_ar,given_name_lat,family_name_lat,father_name_ar,sex,birth_date,"
         "birth_commune_code,national_id,phone\n";
  for (const auto& r : reg.records) {
    out << r.id;
    for (InField f :
         {InField::kGivenAr, InField::kFamilyAr, InField::kGivenLat, InField::kFamilyLat, InField::kFatherAr,
          InField::kSex, InField::kBirthDate, InField::kCommune, InField::kNationalId, InField::kPhone})
      out << ',' << csv::Escape(r[f]);
    out << '\n';
  }
  return out ? Ok() : Fail(Code::kInternal, "write failed");
}

}  // namespace sanad::bench

#include "text/names.h"

#include <algorithm>
#include <array>

#include "text/arabic.h"
#include "text/latin.h"
#include "text/utf8.h"

namespace sanad::text {
namespace {

// Words that introduce the next word and are fused with it (maghreb_surname_particles.csv).
constexpr std::array<std::string_view, 36> kLatinParticles = {
    "ben", "bin",  "ibn", "bent", "bint",  "bel",   "ould",  "ouled", "oulad", "ait",   "ath",   "ayt",
    "bou", "abou", "abu", "bu",   "el",    "al",    "l",     "es",    "ed",    "er",    "et",    "en",
    "ez",  "ech",  "ej",  "abd",  "abdel", "abdul", "abdal", "abdou", "abdur", "abdus", "abder", "abdes"};
constexpr std::array<std::string_view, 6> kLatinHonorifics = {"sidi", "lalla", "hadj", "hadja", "cheikh", "chikh"};
constexpr std::array<std::string_view, 3> kMohamedAbbreviations = {"med", "mohd", "moh"};
// Second elements of compound given names (Nour Eddine, Seif Eddine, Nasrallah) that belong to the
// word before them: «نور الدين» is one name.
constexpr std::array<std::string_view, 8> kLatinCompoundTails = {"eddine", "eddin", "aldin", "aldine",
                                                                 "eldine", "eldin", "allah", "ellah"};
constexpr std::array<std::u32string_view, 2> kArabicCompoundTails = {U"\u0627\u0644\u062F\u064A\u0646",
                                                                     U"\u0627\u0644\u0644\u0647"};

// Arabic particles after NormalizeArabic: بن ابن بنت ولد اولاد ايت ابو بو عبد ال
constexpr std::array<std::u32string_view, 10> kArabicParticles = {U"\u0628\u0646",
                                                                  U"\u0627\u0628\u0646",
                                                                  U"\u0628\u0646\u062A",
                                                                  U"\u0648\u0644\u062F",
                                                                  U"\u0627\u0648\u0644\u0627\u062F",
                                                                  U"\u0627\u064A\u062A",
                                                                  U"\u0627\u0628\u0648",
                                                                  U"\u0628\u0648",
                                                                  U"\u0639\u0628\u062F",
                                                                  U"\u0627\u0644"};
// سيدي لاله الحاج الحاجه الشيخ
constexpr std::array<std::u32string_view, 5> kArabicHonorifics = {
    U"\u0633\u064A\u062F\u064A", U"\u0644\u0627\u0644\u0647", U"\u0627\u0644\u062D\u0627\u062C",
    U"\u0627\u0644\u062D\u0627\u062C\u0647", U"\u0627\u0644\u0634\u064A\u062E"};

template <typename List, typename T>
bool In(const List& list, const T& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

// Fuses particles with the following word; `is_particle` and `is_honorific` classify words.
template <typename IsParticle, typename IsHonorific>
std::vector<NameToken> Fuse(std::vector<std::string> words, IsParticle is_particle, IsHonorific is_honorific) {
  if (words.size() > 1) {
    std::vector<std::string> kept;
    for (auto& w : words)
      if (!is_honorific(w)) kept.push_back(std::move(w));
    if (!kept.empty()) words = std::move(kept);
  }
  std::vector<NameToken> tokens;
  NameToken current;
  for (std::size_t i = 0; i < words.size(); ++i) {
    current.text += words[i];
    current.parts.push_back(words[i]);
    const bool last = i + 1 == words.size();
    if (!last && is_particle(words[i])) continue;  // attach to the next word
    tokens.push_back(std::move(current));
    current = NameToken{};
  }
  return tokens;
}

template <typename IsTail>
void AttachCompoundTails(std::vector<NameToken>& tokens, IsTail is_tail) {
  for (std::size_t i = 1; i < tokens.size();) {
    if (is_tail(tokens[i].text)) {
      tokens[i - 1].text += tokens[i].text;
      for (auto& p : tokens[i].parts) tokens[i - 1].parts.push_back(std::move(p));
      tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace

Script DetectScript(std::string_view name) { return HasArabic(name) ? Script::kArabic : Script::kLatin; }

std::vector<NameToken> TokenizeName(std::string_view name) {
  if (DetectScript(name) == Script::kArabic) {
    auto words = SplitSpaces(NormalizeArabic(name));
    auto tokens = Fuse(
        std::move(words), [](const std::string& w) { return In(kArabicParticles, std::u32string_view(DecodeUtf8(w))); },
        [](const std::string& w) { return In(kArabicHonorifics, std::u32string_view(DecodeUtf8(w))); });
    AttachCompoundTails(
        tokens, [](const std::string& t) { return In(kArabicCompoundTails, std::u32string_view(DecodeUtf8(t))); });
    return tokens;
  }
  auto words = SplitSpaces(FoldLatin(name));
  for (auto& w : words)
    if (In(kMohamedAbbreviations, std::string_view(w))) w = "mohamed";
  auto tokens = Fuse(
      std::move(words), [](const std::string& w) { return In(kLatinParticles, std::string_view(w)); },
      [](const std::string& w) { return In(kLatinHonorifics, std::string_view(w)); });
  AttachCompoundTails(tokens, [](const std::string& t) { return In(kLatinCompoundTails, std::string_view(t)); });
  return tokens;
}

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> out;
  for (auto& t : TokenizeName(name)) out.push_back(std::move(t.text));
  return out;
}

std::string NameMatchForm(std::string_view name) {
  const bool arabic = DetectScript(name) == Script::kArabic;
  std::string out;
  for (const auto& t : TokenizeName(name)) {
    if (!out.empty()) out.push_back(' ');
    out += arabic ? t.text : PhoneticLatin(t.text);
  }
  return out;
}

}  // namespace sanad::text

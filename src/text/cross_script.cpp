#include "text/cross_script.h"

#include <array>
#include <vector>

#include "text/names.h"
#include "text/utf8.h"

namespace sanad::text {
namespace {

// ---------- Latin ----------

bool LatinVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }
bool LatinSunStart(std::string_view s) {
  // t th d dh r z s sh ṣ ḍ ṭ ẓ l n (docs/domain.md §4.1): as Latin initials.
  return !s.empty() && (s[0] == 't' || s[0] == 'd' || s[0] == 'r' || s[0] == 'z' || s[0] == 's' || s[0] == 'l' ||
                        s[0] == 'n' || (s[0] == 'c' && s.size() > 1 && s[1] == 'h'));
}

// Keys of whole particles whose letters alone would mislead (Ould = ولد has a consonant w).
std::string_view LatinParticleKey(std::string_view p, std::string_view next) {
  if (p == "ould") return "WLD";
  if (p == "el" || p == "al" || p == "ul" || p == "l" || p == "le" || p == "la") return LatinSunStart(next) ? "" : "L";
  if (p == "es" || p == "ed" || p == "er" || p == "et" || p == "en" || p == "ez" || p == "ech" || p == "ej") return "";
  if (p == "abdel" || p == "abdul" || p == "abdal" || p == "abdoul") return LatinSunStart(next) ? "BD" : "BDL";
  if (p == "abder" || p == "abdes" || p == "abden" || p == "abdou" || p == "abdur" || p == "abdus") return "BD";
  return {};
}

void LatinPartKey(std::string_view w, std::string_view next, std::string& key) {
  if (auto pk = LatinParticleKey(w, next); pk.data() != nullptr) {
    key += pk;
    return;
  }
  std::size_t i = 0;
  const std::size_t n = w.size();
  auto at = [&](std::size_t k) { return k < n ? w[k] : '\0'; };
  // Word start.
  if ((at(0) == 'o' && at(1) == 'u' && LatinVowel(at(2)))) {
    key.push_back('W');
    i = 2;
  } else if (at(0) == 'w' && LatinVowel(at(1))) {
    key.push_back('W');
    i = 1;
  } else if (at(0) == 'y' && LatinVowel(at(1))) {
    key.push_back('Y');
    i = 1;
  } else if (at(0) == 'm' && n > 2 && !LatinVowel(at(1)) && at(1) != 'm') {
    key.push_back('A');  // prosthetic alef of M'hamed, Mbarek (امحمد، امبارك)
  } else {
    while (i < n && (LatinVowel(w[i]) || w[i] == '3' || w[i] == '2')) ++i;
  }
  // Abdel + sun letter inside a fused word (abdelrahman = abderrahmane): the l assimilates.
  if (w.substr(0, 3) == "abd" && n > 5 && LatinVowel(at(3)) && at(4) == 'l' && LatinSunStart(w.substr(5))) {
    key += "BD";
    i = 5;
  }
  while (i < n) {
    const char c = w[i];
    const char c1 = at(i + 1);
    if (LatinVowel(c) || c == 'w' || c == '3' || c == '2') {
      // A vowel run. "ou"/"w" before a vowel is the glide w (Zouaoui, Alaoui); a hiatus ai/aa/ae/ea
      // after a consonant usually writes an ain or hamza (Saïd, Naïma, Ismaïl).
      std::size_t j = i;
      std::string run;
      while (j < n && (LatinVowel(w[j]) || w[j] == 'w' || w[j] == '3' || w[j] == '2')) run.push_back(w[j++]);
      const std::size_t ou = run.find("ou");
      const std::size_t wpos = run.find('w');
      if ((ou != std::string::npos && ou + 2 < run.size()) || (wpos != std::string::npos && wpos + 1 < run.size())) {
        key.push_back('W');
      } else if (j < n && ((run.size() >= 2 && (run[0] == 'a' || run[0] == 'o') &&
                            (run[1] == 'a' || run[1] == 'e' || run[1] == 'i')) ||
                           run == "ea" || run.find('3') != std::string::npos)) {
        key.push_back('E');
      }
      i = j;
      continue;
    }
    std::size_t adv = 1;
    switch (c) {
      case 'b':
      case 'p':
        key.push_back('B');
        break;
      case 't':
        key.push_back(c1 == 'c' && at(i + 2) == 'h' ? 'C' : 'T');
        adv = c1 == 'h' ? 2 : (c1 == 'c' && at(i + 2) == 'h') ? 3 : 1;
        break;
      case 'd':
        if (c1 == 'j') {
          key.push_back('J');
          adv = 2;
        } else {
          key.push_back('D');
          adv = c1 == 'h' ? 2 : 1;
        }
        break;
      case 'j':
        key.push_back('J');
        break;
      case 'h':
      case '7':
        key.push_back('H');
        break;
      case 'k':
        if (c1 == 'h') {
          key.push_back('X');
          adv = 2;
        } else
          key.push_back('K');
        break;
      case '5':
        key.push_back('X');
        break;
      case 'g':
        if (c1 == 'h') {
          key.push_back('G');
          adv = 2;
        } else
          key.push_back('K');
        break;
      case 'q':
      case '9':
        key.push_back('K');
        break;
      case 'c':
        if (c1 == 'h') {
          key.push_back('C');
          adv = 2;
        } else if (c1 == 'k') {
          key.push_back('K');
          adv = 2;
        } else
          key.push_back(c1 == 'e' || c1 == 'i' || c1 == 'y' ? 'S' : 'K');
        break;
      case 's':
        if (c1 == 'h') {
          key.push_back('C');
          adv = 2;
        } else
          key.push_back('S');
        break;
      case 'z':
        key.push_back('Z');
        break;
      case 'f':
      case 'v':
        key.push_back('F');
        break;
      case 'l':
        key.push_back('L');
        break;
      case 'm':
        key.push_back('M');
        break;
      case 'n':
        key.push_back('N');
        break;
      case 'r':
        key.push_back('R');
        break;
      case 'x':
        key += "KS";
        break;
      default:
        break;  // other digits and non-Latin letters carry no consonant class
    }
    if (c == 'p' && c1 == 'h') {
      key.back() = 'F';
      adv = 2;
    }
    i += adv;
  }
  // Final vowel-h (Fatimah, Abdellah) is a vowel mark, like Arabic final ة/ه which is dropped below.
  if (n > 2 && w[n - 1] == 'h' && LatinVowel(w[n - 2]) && !key.empty() && key.back() == 'H' &&
      !(n > 2 && (w[n - 2] == 'c' || w[n - 2] == 's'))) {
    key.pop_back();
  }
}

// ---------- Arabic (after NormalizeArabic) ----------

constexpr char32_t kAlef = 0x0627, kWaw = 0x0648, kYeh = 0x064A, kAin = 0x0639, kHeh = 0x0647, kLam = 0x0644,
                   kMeem = 0x0645;

bool ArabicVowelLetter(char32_t c) { return c == kAlef || c == kWaw || c == kYeh; }
bool ArabicSun(char32_t c) {
  switch (c) {
    case 0x062A:
    case 0x062B:
    case 0x062F:
    case 0x0630:
    case 0x0631:
    case 0x0632:
    case 0x0633:
    case 0x0634:
    case 0x0635:
    case 0x0636:
    case 0x0637:
    case 0x0638:
    case 0x0644:
    case 0x0646:
      return true;
    default:
      return false;
  }
}

char ArabicClass(char32_t c) {
  switch (c) {
    case 0x0628:
      return 'B';
    case 0x062A:
    case 0x0637:
    case 0x062B:
      return 'T';
    case 0x062C:
      return 'J';
    case 0x062D:
    case 0x0647:
      return 'H';
    case 0x062E:
      return 'X';
    case 0x062F:
    case 0x0630:
    case 0x0636:
    case 0x0638:
      return 'D';
    case 0x0631:
      return 'R';
    case 0x0632:
      return 'Z';
    case 0x0633:
    case 0x0635:
      return 'S';
    case 0x0634:
      return 'C';
    case 0x063A:
      return 'G';
    case 0x0641:
      return 'F';
    case 0x0642:
    case 0x0643:
      return 'K';
    case 0x0644:
      return 'L';
    case 0x0645:
      return 'M';
    case 0x0646:
      return 'N';
    default:
      return 0;
  }
}

void ArabicPartKey(std::u32string_view w, std::u32string_view next, std::string& key) {
  const std::size_t n = w.size();
  std::size_t i = 0;
  auto at = [&](std::size_t k) -> char32_t { return k < n ? w[k] : 0; };
  if (n == 2 && w[0] == kAlef && w[1] == kLam) {  // a standalone article «ال»
    if (!(next.size() > 0 && ArabicSun(next[0]))) key.push_back('L');
    return;
  }
  if (n > 2 && w[0] == kAlef && w[1] == kLam) {  // article prefix
    if (!ArabicSun(w[2])) key.push_back('L');
    i = 2;
  }
  // Word start: a leading alef/ain/hamza is a vowel onset, as Latin writes it.
  const std::size_t start = i;
  if (at(i) == kWaw) {
    key.push_back('W');
    ++i;
  } else if (at(i) == kYeh) {
    key.push_back('Y');
    ++i;
  } else {
    while (i < n && (w[i] == kAlef || w[i] == kAin)) ++i;
    if (i == start + 1 && w[start] == kAlef && at(i) == kMeem && i + 1 < n && !ArabicVowelLetter(w[i + 1])) {
      key.push_back('A');  // امحمد، امبارك
    }
    while (i < n && i > start && ArabicVowelLetter(w[i]) && w[i] != kWaw) ++i;  // أيوب, عائشة
  }
  for (; i < n; ++i) {
    const char32_t c = w[i];
    if (c == kAlef || c == kYeh) continue;
    if (c == kWaw) {
      if (ArabicVowelLetter(at(i + 1))) key.push_back('W');  // glide: زواوي، العلوي
      continue;
    }
    if (c == kAin) {
      const bool final_ish = i + 1 == n || (i + 2 == n && w[i + 1] == kHeh);
      if (!final_ish) key.push_back('E');
      continue;
    }
    if (c == kHeh && i + 1 == n) continue;  // final ة/ه
    if (const char k = ArabicClass(c)) key.push_back(k);
  }
}

void Collapse(std::string& key, std::size_t from) {
  std::size_t out = from;
  for (std::size_t i = from; i < key.size(); ++i)
    if (out == from || key[out - 1] != key[i]) key[out++] = key[i];
  key.resize(out);
}

}  // namespace

std::string CrossScriptKey(std::string_view name) {
  const bool arabic = DetectScript(name) == Script::kArabic;
  std::string key;
  for (const auto& token : TokenizeName(name)) {
    if (!key.empty()) key.push_back(' ');
    const std::size_t from = key.size();
    for (std::size_t p = 0; p < token.parts.size(); ++p) {
      const std::string& part = token.parts[p];
      const std::string_view next =
          p + 1 < token.parts.size() ? std::string_view(token.parts[p + 1]) : std::string_view();
      if (arabic) {
        ArabicPartKey(DecodeUtf8(part), DecodeUtf8(next), key);
      } else {
        LatinPartKey(part, next, key);
      }
    }
    Collapse(key, from);
    if (key.size() == from && from > 0) key.pop_back();  // a token with no consonant ("Aya"): drop its separator
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

}  // namespace sanad::text

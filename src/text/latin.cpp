#include "text/latin.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "text/utf8.h"

namespace sanad::text {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Letters that NFD does not decompose.
std::u32string_view SpecialFold(char32_t c) {
  switch (c) {
    case 0x00DF:
      return U"ss";
    case 0x00E6:
    case 0x00C6:
      return U"ae";
    case 0x0153:
    case 0x0152:
      return U"oe";
    case 0x00F8:
    case 0x00D8:
      return U"o";
    case 0x0111:
    case 0x0110:
      return U"d";
    case 0x0142:
    case 0x0141:
      return U"l";
    case 0x0131:
      return U"i";
    case 0x2019:
    case 0x2018:
    case 0x02BC:
    case 0x02BF:
    case 0x02BE:
      return U"";  // apostrophes, ayn/hamza marks
    default:
      return {};
  }
}

void PushSeparator(std::string& out) {
  if (!out.empty() && out.back() != ' ') out.push_back(' ');
}

}  // namespace

std::string FoldLatin(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  if (IsAscii(utf8)) {
    for (char ch : utf8) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 'A' && c <= 'Z')
        out.push_back(static_cast<char>(c + 32));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out.push_back(static_cast<char>(c));
      else if (c == '\'' || c == '`')
        continue;
      else
        PushSeparator(out);
    }
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    std::u32string cps = DecodeUtf8(utf8);
    if (U_SUCCESS(status)) {
      icu::UnicodeString in =
          icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(cps.data()), static_cast<int32_t>(cps.size()));
      icu::UnicodeString d = nfd->normalize(in, status);
      if (U_SUCCESS(status)) {
        cps.assign(static_cast<std::size_t>(d.countChar32()), U'\0');
        UErrorCode st2 = U_ZERO_ERROR;
        d.toUTF32(reinterpret_cast<UChar32*>(cps.data()), static_cast<int32_t>(cps.size()), st2);
      }
    }
    for (char32_t c : cps) {
      if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
          out.push_back(static_cast<char>(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
          out.push_back(static_cast<char>(c));
        else if (c == '\'' || c == '`')
          continue;
        else
          PushSeparator(out);
        continue;
      }
      if (u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) continue;  // stripped accent
      if (auto sp = SpecialFold(c); sp.data() != nullptr) {
        for (char32_t s : sp) out.push_back(static_cast<char>(s));
        continue;
      }
      if (IsArabicCodePoint(c) || u_isalpha(static_cast<UChar32>(c))) {
        AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), out);
        continue;
      }
      PushSeparator(out);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

std::string PhoneticLatin(std::string_view w) {
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
  std::string s;
  s.reserve(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    const char n = i + 1 < w.size() ? w[i + 1] : '\0';
    const char n2 = i + 2 < w.size() ? w[i + 2] : '\0';
    if (c == 'o' && n == 'u') {
      s.push_back('u');
      ++i;
      continue;
    }
    if (c == 'o' && n == 'o') {
      s.push_back('u');
      ++i;
      continue;
    }
    if (c == 'e' && n == 'e') {
      s.push_back('i');
      ++i;
      continue;
    }
    if (c == 'd' && n == 'j') {
      s.push_back('j');
      ++i;
      continue;
    }
    if (c == 't' && n == 'c' && n2 == 'h') {
      s += "ch";
      i += 2;
      continue;
    }
    if (c == 's' && n == 'h') {
      s += "ch";
      ++i;
      continue;
    }
    if (c == 'p' && n == 'h') {
      s.push_back('f');
      ++i;
      continue;
    }
    if (c == 'c' && n == 'k') {
      s.push_back('k');
      ++i;
      continue;
    }
    if (c == 'c' && n == 'h') {
      s += "ch";
      ++i;
      continue;
    }
    if (c == 'c') {
      s.push_back(n == 'e' || n == 'i' || n == 'y' ? 's' : 'k');
      continue;
    }
    if (c == 'q') {
      s.push_back('k');
      continue;
    }
    if (c == 'w') {
      s.push_back('u');
      continue;
    }
    // y and i are interchangeable (Yasmina/Iasmina, Aysha/Aicha), except the consonant y before a vowel
    // that keeps Sayed (سيد) apart from Said (سعيد).
    if (c == 'y') {
      s.push_back(vowel(n) && i > 0 ? 'y' : 'i');
      continue;
    }
    s.push_back(c);
  }
  // Doubled letters (shadda or French doubling: Mohammed, Hassan, Youssef) → one.
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (out.empty() || out.back() != c) out.push_back(c);
  // Silent final -e of French orthography (Hanane, Yassine, Abderrahmane), kept in short words (Ne).
  if (out.size() > 3 && out.back() == 'e' && !vowel(out[out.size() - 2])) out.pop_back();
  // Final -h after a vowel marks a final vowel (Fatimah, Aminah), not a consonant.
  if (out.size() > 3 && out.back() == 'h' && vowel(out[out.size() - 2]) && out[out.size() - 2] != 'c') out.pop_back();
  return out;
}

}  // namespace sanad::text

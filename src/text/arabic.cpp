#include "text/arabic.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "text/utf8.h"

namespace sanad::text {
namespace {

bool IsPresentationForm(char32_t c) { return (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF); }

// Presentation forms are rare (PDF exports, old fonts); ICU's NFKC maps every one of them, including
// the lam-alef ligatures, to the base letters. The NFKC instance is immutable and thread-safe.
std::u32string Nfkc(std::u32string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::u32string(s);
  icu::UnicodeString in =
      icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
  icu::UnicodeString out = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return std::u32string(s);
  std::u32string r(static_cast<std::size_t>(out.countChar32()), U'\0');
  UErrorCode st2 = U_ZERO_ERROR;
  out.toUTF32(reinterpret_cast<UChar32*>(r.data()), static_cast<int32_t>(r.size()), st2);
  return r;
}

// Maps one code point to its search form; 0 means "drop", U' ' means "separator".
char32_t MapArabic(char32_t c) {
  switch (c) {
    case 0x0623:
    case 0x0625:
    case 0x0622:
    case 0x0671:
    case 0x0672:
    case 0x0673:
      return 0x0627;  // alef forms → ا
    case 0x0624:
      return 0x0648;  // ؤ → و
    case 0x0626:
      return 0x064A;  // ئ → ي
    case 0x0621:
      return 0;  // lone hamza
    case 0x0629:
      return 0x0647;  // ة → ه
    case 0x0649:
      return 0x064A;  // ى → ي
    case 0x06CC:
    case 0x06D0:
      return 0x064A;  // Persian/Urdu yeh
    case 0x06A9:
      return 0x0643;  // keheh → ك
    case 0x0763:
    case 0x06AF:
    case 0x06B3:
      return 0x0643;  // ݣ گ → ك (Moroccan gaf)
    case 0x06A8:
      return 0x0642;  // ڨ → ق (Algerian/Tunisian g)
    case 0x06A4:
    case 0x06A5:
      return 0x0641;  // ڤ → ف
    case 0x0640:
      return 0;  // tatweel
    case 0x0670:
      return 0;  // superscript alef
    case 0x060C:
    case 0x061B:
    case 0x061F:
    case 0x066A:
    case 0x066B:
    case 0x066C:
    case 0x06D4:
      return U' ';  // Arabic comma, semicolon, question mark, percent, decimal/thousands separators, full stop
    default:
      break;
  }
  if (c >= 0x064B && c <= 0x065F) return 0;  // harakat, tanween, shadda, sukun, hamza marks
  if (c >= 0x06D6 && c <= 0x06ED) return 0;  // Quranic annotation marks
  if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return c;
    if (c == '\'') return 0;
    return U' ';
  }
  if (c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F || c == 0xFEFF) return 0;  // joiners, marks
  if (c == 0x00A0) return U' ';
  return c;
}

}  // namespace

std::string NormalizeArabic(std::string_view utf8) {
  std::u32string cps = DecodeUtf8(utf8);
  for (char32_t c : cps) {
    if (IsPresentationForm(c)) {
      cps = Nfkc(cps);
      break;
    }
  }
  std::u32string out;
  out.reserve(cps.size());
  for (char32_t c : cps) {
    const char32_t m = MapArabic(c);
    if (m == 0) continue;
    if (m == U' ') {
      if (!out.empty() && out.back() != U' ') out.push_back(U' ');
      continue;
    }
    out.push_back(m);
  }
  while (!out.empty() && out.back() == U' ') out.pop_back();
  // الرحمان (with a long alef, common in Maghrebi registers) is the same word as الرحمن.
  static constexpr std::u32string_view kRahmaan = U"\u0631\u062D\u0645\u0627\u0646";  // رحمان
  for (std::size_t pos = out.find(kRahmaan); pos != std::u32string::npos; pos = out.find(kRahmaan, pos)) {
    const bool word_end = pos + kRahmaan.size() == out.size() || out[pos + kRahmaan.size()] == U' ';
    const bool after_article = pos >= 2 && out[pos - 1] == 0x0644 && out[pos - 2] == 0x0627;
    if (word_end && after_article) {
      out.erase(pos + 3, 1);  // drop the alef
    }
    pos += 1;
  }
  return EncodeUtf8(out);
}

}  // namespace sanad::text

#include "linkage/comparison.h"

#include <algorithm>
#include <cstdlib>

#include "text/name_similarity.h"
#include "text/similarity.h"

namespace sanad::linkage {
namespace {

constexpr double kJwHigh = 0.92;  // Splink's default name thresholds are 0.92 and 0.80 (NameComparison)
constexpr double kJwLow = 0.80;

Col Next(Col c, int k) { return static_cast<Col>(static_cast<int>(c) + k); }

using Row = const std::uint32_t*;
inline std::uint32_t At(Row r, Col c) { return r[static_cast<std::size_t>(c)]; }

int NameLevel(const RecordStore& s, Col lat, Row a, Row b) {
  const Col ar = Next(lat, 1), key = Next(lat, 2);
  const std::uint32_t la = At(a, lat), lb = At(b, lat);
  const std::uint32_t aa = At(a, ar), ab = At(b, ar);
  const std::uint32_t ka = At(a, key), kb = At(b, key);
  if (ka == 0 || kb == 0) return 0;  // every non-empty name has a key, so no key = no name
  if ((la != 0 && la == lb) || (aa != 0 && aa == ab)) return 1;
  if (ka == kb) return 2;
  // Within one script: plain Jaro–Winkler, as Splink's name comparisons. Distinct names sharing a long
  // prefix (Mohamed/M'hamed) land here rather than on the "same key" level, and the model learns from
  // the data how much this level is worth. Arabic-only against Latin-only: the keys alone, squared
  // (text::NameSimilarityOfForms), since skeletons are short.
  const auto key_a = s.dict(key).Get(ka), key_b = s.dict(key).Get(kb);
  double best = -1.0;
  bool one_edit = false;
  if (la != 0 && lb != 0) {
    const auto x = s.dict(lat).Get(la), y = s.dict(lat).Get(lb);
    one_edit = text::WithinEdits(x, y, 1);
    best = text::JaroWinkler(x, y);
  }
  if (!one_edit && aa != 0 && ab != 0) {
    const auto x = s.dict(ar).Get(aa), y = s.dict(ar).Get(ab);
    one_edit = text::WithinEdits(x, y, 1);
    best = std::max(best, text::JaroWinkler(x, y));
  }
  if (one_edit) return 3;
  if (best < 0) best = text::NameSimilarityOfForms({}, key_a, {}, key_b);
  if (best >= kJwHigh) return 4;
  if (best >= kJwLow) return 5;
  return 6;
}

int TextLevel(const RecordStore& s, Col c, Row a, Row b) {
  const std::uint32_t x = At(a, c), y = At(b, c);
  if (x == 0 || y == 0) return 0;
  if (x == y) return 1;
  const double jw = text::JaroWinkler(s.dict(c).Get(x), s.dict(c).Get(y));
  return jw >= kJwHigh ? 2 : jw >= kJwLow ? 3 : 4;
}

}  // namespace

bool OneKeyingError(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return false;  // equal
  std::size_t j = a.size() - 1;
  while (a[j] == b[j]) --j;
  if (i == j) return true;                            // one substitution
  return j == i + 1 && a[i] == b[j] && a[j] == b[i];  // one adjacent transposition
}

int LevelCount(CompareKind kind) {
  switch (kind) {
    case CompareKind::kName:
      return 6;
    case CompareKind::kDate:
      return 7;
    case CompareKind::kCommune:
      return 3;
    case CompareKind::kExact:
      return 2;
    case CompareKind::kExactOrTypo:
      return 3;
    case CompareKind::kText:
      return 4;
    case CompareKind::kIdentifier:
      return 3;
  }
  return 2;
}

std::string LevelLabel(CompareKind kind, int level) {
  if (level == 0) return "null";
  static const char* kName[] = {
      "exact", "same cross-script key", "one edit", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "else"};
  static const char* kDate[] = {
      "exact", "day/month swapped", "one digit differs", "year +-1", "same year, one side 1 January", "same year",
      "else"};
  static const char* kCommune[] = {"same commune", "same province", "else"};
  static const char* kExact[] = {"equal", "else"};
  static const char* kTypo[] = {"equal", "one edit", "else"};
  static const char* kText[] = {"equal", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "else"};
  static const char* kId[] = {"equal", "one substitution or adjacent transposition", "else"};
  if (level < 1 || level > LevelCount(kind)) return "?";
  switch (kind) {
    case CompareKind::kName:
      return kName[level - 1];
    case CompareKind::kDate:
      return kDate[level - 1];
    case CompareKind::kCommune:
      return kCommune[level - 1];
    case CompareKind::kExact:
      return kExact[level - 1];
    case CompareKind::kExactOrTypo:
      return kTypo[level - 1];
    case CompareKind::kText:
      return kText[level - 1];
    case CompareKind::kIdentifier:
      return kId[level - 1];
  }
  return "?";
}

int DateLevel(std::int32_t a, std::int32_t b) {
  if (a == 0 || b == 0) return 0;
  if (a == b) return 1;
  const int ya = a / 10000, yb = b / 10000, ma = a / 100 % 100, mb = b / 100 % 100, da = a % 100, db = b % 100;
  if (ya == yb && ma == db && da == mb) return 2;
  // One digit of the eight differs (a keying error).
  int diff = 0;
  for (std::int32_t x = a, y = b; x > 0 || y > 0; x /= 10, y /= 10) diff += (x % 10) != (y % 10);
  if (diff == 1) return 3;
  if (ma == mb && da == db && std::abs(ya - yb) == 1) return 4;
  // Registers write a presumed date ("né en 1965") as 1 January of the year: weaker than a real date
  // but much stronger evidence than two different real dates of the same year.
  if (ya == yb && ((ma <= 1 && da <= 1) || (mb <= 1 && db <= 1))) return 5;
  if (ya == yb) return 6;
  return 7;
}

namespace {

int LevelOfRows(const RecordStore& s, const ComparisonSpec& spec, Row a, Row b) {
  switch (spec.kind) {
    case CompareKind::kName:
      return NameLevel(s, spec.col, a, b);
    case CompareKind::kDate:
      return DateLevel(static_cast<std::int32_t>(a[kNumCols]), static_cast<std::int32_t>(b[kNumCols]));
    case CompareKind::kCommune: {
      const std::uint32_t x = At(a, Col::kCommune), y = At(b, Col::kCommune);
      if (x == 0 || y == 0) return 0;
      if (x == y) return 1;
      const std::uint32_t px = At(a, Col::kProvince), py = At(b, Col::kProvince);
      return px != 0 && px == py ? 2 : 3;
    }
    case CompareKind::kExact: {
      const std::uint32_t x = At(a, spec.col), y = At(b, spec.col);
      if (x == 0 || y == 0) return 0;
      return x == y ? 1 : 2;
    }
    case CompareKind::kExactOrTypo: {
      const std::uint32_t x = At(a, spec.col), y = At(b, spec.col);
      if (x == 0 || y == 0) return 0;
      if (x == y) return 1;
      return text::WithinEdits(s.dict(spec.col).Get(x), s.dict(spec.col).Get(y), 1) ? 2 : 3;
    }
    case CompareKind::kText:
      return TextLevel(s, spec.col, a, b);
    case CompareKind::kIdentifier: {
      const std::uint32_t x = At(a, spec.col), y = At(b, spec.col);
      if (x == 0 || y == 0) return 0;
      if (x == y) return 1;
      return OneKeyingError(s.dict(spec.col).Get(x), s.dict(spec.col).Get(y)) ? 2 : 3;
    }
  }
  return 0;
}

}  // namespace

int CompareLevel(const RecordStore& s, const ComparisonSpec& spec, std::uint32_t a, std::uint32_t b) {
  return LevelOfRows(s, spec, s.Packed(a), s.Packed(b));
}

std::uint32_t ComputeGamma(const RecordStore& s, const std::vector<ComparisonSpec>& specs, std::uint32_t a,
                           std::uint32_t b) {
  const Row ra = s.Packed(a), rb = s.Packed(b);
  std::uint32_t g = 0;
  for (std::size_t c = 0; c < specs.size(); ++c) {
    g |= static_cast<std::uint32_t>(LevelOfRows(s, specs[c], ra, rb)) << (kBitsPerComparison * c);
  }
  return g;
}

}  // namespace sanad::linkage

// Data-driven checks against data/names/maghreb_name_variants.csv: the listed spellings of one name
// should share a cross-script key, and the "do not merge" names named in the notes must not.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "text/cross_script.h"
#include "text/name_similarity.h"
#include "text/names.h"
#include "text/similarity.h"

namespace sanad::text {
namespace {

struct VariantRow {
  std::string canonical, arabic;
  std::vector<std::string> latin;
  std::string notes;
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

std::string Trim(std::string s) {
  s = std::regex_replace(s, std::regex(R"(\([^)]*\))"), "");
  const auto b = s.find_first_not_of(" ");
  const auto e = s.find_last_not_of(" ");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<VariantRow> LoadVariants() {
  auto reader = csv::Reader::Open(std::string(SANAD_SOURCE_ROOT) + "/data/names/maghreb_name_variants.csv");
  EXPECT_TRUE(reader.has_value());
  std::vector<VariantRow> rows;
  if (!reader) return rows;
  std::vector<std::string> row;
  while (auto ok = reader->Next(row)) {
    if (!*ok) break;
    rows.push_back({row[reader->Column("canonical_latin")], row[reader->Column("arabic")],
                    Split(row[reader->Column("latin_variants")], '|'), row[reader->Column("notes")]});
  }
  return rows;
}

// Names the notes declare distinct: the structured "NOT variants (…): a, b" list and free-text
// sentences "X is a different/distinct name", "X is different", "X is a surname".
std::vector<std::string> DoNotMerge(const std::string& notes) {
  std::set<std::string> names;
  const auto nv = notes.find("do not merge):");
  if (nv != std::string::npos) {
    for (auto& n : Split(notes.substr(nv + 14), ',')) names.insert(Trim(n));
  }
  std::regex sentence(R"(([^;:,]*?) is (a different|a distinct|different|a surname))");
  for (std::sregex_iterator it(notes.begin(), notes.end(), sentence), end; it != end; ++it) {
    std::string subject = (*it)[1];
    if (auto a = subject.rfind(" and "); a != std::string::npos) subject = subject.substr(a + 5);
    for (auto& n : Split(Trim(subject), '/')) names.insert(Trim(n));
  }
  names.erase("");
  return {names.begin(), names.end()};
}

TEST(NameVariantsCsv, DoNotMergeNamesGetDistinctKeysAndLowSimilarity) {
  const auto rows = LoadVariants();
  ASSERT_GE(rows.size(), 40u);
  int pairs = 0;
  for (const auto& r : rows) {
    for (const auto& other : DoNotMerge(r.notes)) {
      ++pairs;
      SCOPED_TRACE(r.canonical + " vs " + other);
      EXPECT_NE(CrossScriptKey(r.canonical), CrossScriptKey(other));
      EXPECT_NE(CrossScriptKey(r.arabic), CrossScriptKey(other));
      EXPECT_NE(NameMatchForm(r.canonical), NameMatchForm(other));
      // Below the 0.92 "same name" level of the linkage comparison, in the same script and across.
      EXPECT_LT(NameSimilarity(r.canonical, other), 0.92);
      EXPECT_LT(NameSimilarity(r.arabic, other), 0.92);
    }
  }
  // Mohamed/M'hamed/Mhamed/Mehdi, Abdellah/Abdellaoui, Youssef/Joseph, Hocine/Lahcen, Said/Sayed/Sayyid,
  // Fatima/Fatiha: the notes must have been parsed, or this test would check nothing.
  EXPECT_GE(pairs, 9);
}

TEST(NameVariantsCsv, MostListedVariantsShareTheArabicKey) {
  const auto rows = LoadVariants();
  int total = 0, same = 0;
  std::string misses;
  for (const auto& r : rows) {
    const std::string k = CrossScriptKey(r.arabic);
    for (const auto& v : r.latin) {
      ++total;
      if (CrossScriptKey(v) == k)
        ++same;
      else
        misses += v + "(" + CrossScriptKey(v) + "≠" + k + ") ";
    }
  }
  const double recall = static_cast<double>(same) / total;
  std::printf("cross-script key recall on maghreb_name_variants.csv: %d/%d = %.3f\nmisses: %s\n", same, total, recall,
              misses.c_str());
  // Dialectal elisions (Rchid, Krim, Smira), Egyptian g (Gamal) and kh/h confusions (Haled) are expected
  // misses: the comparison falls back to Jaro–Winkler on keys for them.
  EXPECT_GE(recall, 0.80);
}

TEST(NameVariantsCsv, ListedVariantsStaySimilar) {
  int total = 0, same_script = 0, cross_script = 0;
  for (const auto& r : LoadVariants())
    for (const auto& v : r.latin) {
      ++total;
      same_script += NameSimilarity(r.canonical, v) >= 0.80;
      cross_script += NameSimilarity(r.arabic, v) >= 0.80;
    }
  std::printf("variants with similarity >= 0.80: same script %d/%d, Arabic vs Latin %d/%d\n", same_script, total,
              cross_script, total);
  // Within one script the key factor must cost few true variants their similarity (plain Jaro–Winkler on
  // the match forms reaches 0.80 for 218/230). Across scripts only the keys speak, so the key misses of
  // the test above (about 8 %) fall below.
  EXPECT_GE(static_cast<double>(same_script) / total, 0.90);
  EXPECT_GE(static_cast<double>(cross_script) / total, 0.85);
}

}  // namespace
}  // namespace sanad::text

#include "linkage/presets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "linkage/engine.h"
#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

std::string TempCsv(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("sanad_linkage_test_" + name);
  std::ofstream(path) << content;
  return path.string();
}

const std::string kRoot = SANAD_SOURCE_ROOT;

TEST(LoadCsv, MissingFileIsNotFound) {
  RecordStoreBuilder b;
  const auto r = LoadCsv("/nonexistent/x.csv", Preset::kSanad, 0, b);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kNotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/x.csv"), std::string::npos);
}

TEST(LoadCsv, NoUsableColumnNamesTheFile) {
  RecordStoreBuilder b;
  const auto path = TempCsv("nocols.csv", "foo,bar\n1,2\n");
  const auto r = LoadCsv(path, Preset::kSanad, 0, b);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("no usable column"), std::string::npos);
  EXPECT_NE(r.error().message.find(path), std::string::npos);
}

TEST(LoadCsv, MalformedLinesNameLineAndColumn) {
  RecordStoreBuilder b;
  const auto quote = LoadCsv(TempCsv("quote.csv", "record_id,given_name_lat\n1,Ali\n2,\"Omar\n"), Preset::kSanad, 0, b);
  ASSERT_FALSE(quote.has_value());
  EXPECT_NE(quote.error().field.find("line 3"), std::string::npos) << quote.error().field;
  const auto extra = LoadCsv(TempCsv("extra.csv", "record_id,given_name_lat\n1,Ali\n2,Omar,x\n"), Preset::kSanad, 0, b);
  ASSERT_FALSE(extra.has_value());
  EXPECT_EQ(extra.error().field, "line 3, column 3");
  const auto empty_id = LoadCsv(TempCsv("emptyid.csv", "record_id,given_name_lat\n,Ali\n"), Preset::kSanad, 0, b);
  ASSERT_FALSE(empty_id.has_value());
  EXPECT_EQ(empty_id.error().field, "line 2, column 1");
}

TEST(LoadCsv, IgnoresUnknownColumnsAndAcceptsMissingOnes) {
  RecordStoreBuilder b;
  const auto r =
      LoadCsv(TempCsv("partial.csv", "record_id,colour,family_name_ar\n1,blue,العلوي\n"), Preset::kSanad, 0, b);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->records, 1u);
  EXPECT_EQ(r->used_columns, std::vector<std::string>{"family_name_ar"});
}

TEST(LoadCsv, ReadsNcvrFilesWhateverTheirHeader) {
  RecordStoreBuilder b;
  const auto r = LoadCsv(kRoot + "/data/linkage/ncvr_5party_5000/ncvr_numrec_5000_modrec_2_ocp_0_myp_0_nump_5.csv",
                         Preset::kNcvr, 0, b);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->records, 5000u);
  const auto s = b.Build();
  const auto row = s.RowOfInput(0);  // 07546882,kaitlyn,pollick,fayetteville,28304
  EXPECT_EQ(s.RecordId(row), "07546882");
  EXPECT_EQ(s.Value(Col::kPostcode, row), "28304");
  EXPECT_EQ(s.Value(Col::kLocality, row), "fayetevil");  // phonetic form: ll → l, final e dropped
}

TEST(LoadCsv, ReadsFebrl) {
  RecordStoreBuilder b;
  const auto r = LoadCsv(kRoot + "/data/linkage/febrl/dataset1.csv", Preset::kFebrl, 0, b);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->records, 1000u);
  const auto s = b.Build();
  EXPECT_EQ(s.RecordId(s.RowOfInput(0)), "rec-223-org");
  EXPECT_EQ(s.BirthDate(s.RowOfInput(0)), 19081209);
}

// End to end with a fixed model: a cross-script duplicate is merged, two brothers are not, even
// though they share family name, father, commune and household phone.
TEST(Engine, MergesCrossScriptDuplicateButNotBrothers) {
  using testing::Make;
  std::vector<RawRecord> rows = {
      Make("lat", {{InField::kGivenLat, "Mohamed"},
                   {InField::kFamilyLat, "Benali"},
                   {InField::kFatherLat, "Ahmed"},
                   {InField::kBirthDate, "1980-05-12"},
                   {InField::kCommune, "01.511.01.01"},
                   {InField::kPhone, "0661234567"}}),
      Make("ar", {{InField::kGivenAr, "محمد"},
                  {InField::kFamilyAr, "بن علي"},
                  {InField::kFatherAr, "أحمد"},
                  {InField::kBirthDate, "1980-12-05"},
                  {InField::kCommune, "01.511.01.01"}}),
      Make("brother", {{InField::kGivenLat, "Youssef"},
                       {InField::kFamilyLat, "Benali"},
                       {InField::kFatherAr, "أحمد"},
                       {InField::kBirthDate, "1984-03-02"},
                       {InField::kCommune, "01.511.01.01"},
                       {InField::kPhone, "0661234567"}}),
  };
  for (int i = 0; i < 40; ++i)  // unrelated people so that the store is not trivial
    rows.push_back(Make("x" + std::to_string(i), {{InField::kGivenLat, "Person" + std::to_string(i)},
                                                  {InField::kFamilyLat, "Family" + std::to_string(i % 7)},
                                                  {InField::kBirthDate, std::to_string(1950 + i) + "-01-15"}}));
  const auto store = testing::Store(rows);
  auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, store);
  // Blocking on family key alone so that the brothers are compared at all.
  spec.blocking.push_back({"family_key", {{KeyPartKind::kColumn, Col::kFamilyKey}}});
  Model model(spec.comparisons);
  model.set_lambda(0.01);
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const int n = LevelCount(spec.comparisons[c].kind);
    for (int l = 1; l <= n; ++l) {
      model.set_m(c, l, l == 1 ? 0.7 : l == n ? 0.02 : 0.28 / (n - 2));
      model.set_u(c, l, l == n ? 0.9 : 0.1 / (n - 1));
    }
  }
  std::size_t phone = 0;
  while (phone < spec.comparisons.size() && spec.comparisons[phone].name != "phone") ++phone;
  ASSERT_LT(phone, spec.comparisons.size());
  model.set_m(phone, 1, 0.9);
  model.set_u(phone, 1, 1e-6);  // a shared phone is, taken alone, overwhelming evidence
  model.Finalize();
  auto r = RunEngine(store, spec, model, EngineOptions{});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto lat = testing::RowOf(store, "lat"), ar = testing::RowOf(store, "ar"),
             bro = testing::RowOf(store, "brother");
  EXPECT_EQ(r->clustering.cluster_of[lat], r->clustering.cluster_of[ar]);
  EXPECT_NE(r->clustering.cluster_of[lat], r->clustering.cluster_of[bro]);
  EXPECT_GE(r->excluded_pairs, 1u);  // the brothers pair scored above the threshold and was stopped
}

// End to end with a fixed model: twins (same household and birth date, different given names and ids)
// are not merged although they agree on everything else; the same person re-registered with two
// digits of the id swapped is.
TEST(Engine, MergesMistypedIdDuplicateButNotTwins) {
  using testing::Make;
  auto person = [](const char* id, const char* given, const char* nid) {
    return Make(id, {{InField::kGivenLat, given},
                     {InField::kFamilyLat, "Benali"},
                     {InField::kFatherAr, "أحمد"},
                     {InField::kSex, "M"},
                     {InField::kBirthDate, "1990-04-07"},
                     {InField::kCommune, "01.511.01.01"},
                     {InField::kPhone, "0661234567"},
                     {InField::kNationalId, nid}});
  };
  std::vector<RawRecord> rows = {person("hassan", "Hassan", "AB123456"), person("hassan-again", "Hassan", "AB124356"),
                                 person("youssef", "Youssef", "AB123457")};
  for (int i = 0; i < 40; ++i)
    rows.push_back(Make("x" + std::to_string(i), {{InField::kGivenLat, "Person" + std::to_string(i)},
                                                  {InField::kFamilyLat, "Family" + std::to_string(i % 7)},
                                                  {InField::kBirthDate, std::to_string(1950 + i) + "-01-15"}}));
  const auto store = testing::Store(rows);
  const auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, store);
  Model model(spec.comparisons);
  model.set_lambda(0.01);
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const int n = LevelCount(spec.comparisons[c].kind);
    for (int l = 1; l <= n; ++l) {
      model.set_m(c, l, l == 1 ? 0.7 : l == n ? 0.02 : 0.28 / (n - 2));
      model.set_u(c, l, l == n ? 0.9 : 0.1 / (n - 1));
    }
  }
  model.Finalize();
  auto r = RunEngine(store, spec, model, EngineOptions{});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto h = testing::RowOf(store, "hassan"), h2 = testing::RowOf(store, "hassan-again"),
             y = testing::RowOf(store, "youssef");
  EXPECT_EQ(r->clustering.cluster_of[h], r->clustering.cluster_of[h2]);
  EXPECT_NE(r->clustering.cluster_of[h], r->clustering.cluster_of[y]);
  EXPECT_NE(r->clustering.cluster_of[h2], r->clustering.cluster_of[y]);
  // Hassan ~ Youssef scores above the threshold (ids one digit apart, all else equal) and is stopped.
  EXPECT_GE(r->excluded_pairs, 1u);
}

TEST(DefaultSpec, SanadGradesTheNationalIdAndGuardsTwins) {
  const auto store =
      testing::Store({testing::Make("a", {{InField::kNationalId, "AB123456"}, {InField::kGivenLat, "Ali"}}),
                      testing::Make("b", {{InField::kNationalId, "AB123465"}, {InField::kGivenLat, "Omar"}})});
  const auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, store);
  const auto id = std::find_if(spec.comparisons.begin(), spec.comparisons.end(),
                               [](const ComparisonSpec& c) { return c.name == "national_id"; });
  ASSERT_NE(id, spec.comparisons.end());
  EXPECT_EQ(id->kind, CompareKind::kIdentifier);
  EXPECT_TRUE(spec.anti_chain_twins);
  // Deterministic rules (which set λ from pairs assumed to match) only ever use the exact id.
  for (const auto& rule : spec.deterministic)
    for (const auto& part : rule.parts)
      EXPECT_EQ(part.kind == KeyPartKind::kColumn && part.col == Col::kNationalId, rule.parts.size() == 1);
}

}  // namespace
}  // namespace sanad::linkage

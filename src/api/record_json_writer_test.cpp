// The records' JSON writer must write what dumping the JSON tree (registry_json.h) writes, byte for
// byte: members in key order, every field type, absent and extra members, hostile strings.
#include "api/record_json_writer.h"

#include <gtest/gtest.h>

#include "api/registry_json.h"

namespace sanad::api {
namespace {

using Handler = nlohmann::json::error_handler_t;

// A value of the right kind for every field, with `text` in the free-text ones.
registry::Values Sample(std::span<const registry::FieldSpec> fields, const std::string& text, int seed) {
  registry::Values v(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if ((i + static_cast<std::size_t>(seed)) % 5 == 0) continue;  // some absent
    switch (fields[i].type) {
      case registry::FieldType::kInt:
        v[i] = std::to_string(seed * 37 - 5);
        break;
      case registry::FieldType::kDecimal:
        v[i] = seed % 2 ? "12.5" : "3";
        break;
      case registry::FieldType::kBool:
        v[i] = seed % 2 ? "1" : "0";
        break;
      case registry::FieldType::kEnum:
        v[i] = fields[i].allowed.empty() ? "x" : std::string(fields[i].allowed[0]);
        break;
      default:
        v[i] = text;
    }
  }
  return v;
}

registry::PersonRecord Person(const std::string& text, int seed) {
  registry::PersonRecord p;
  p.id = 1000 + seed;
  p.household_id = 7;
  p.version = seed;
  if (seed % 2) p.merged_into = 99;
  p.values = Sample(registry::PersonFields(), text, seed);
  return p;
}

const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = {
      "Mohamed",     "",
      "محمد العلوي", "quote \" backslash \\ slash / tab \t newline \n cr \r bell \x07 nul-free \x1f del \x7f",
      "\b\f",        "ⵜⴰⵎⴰⵣⵉⵖⵜ 😀",
  };
  return texts;
}

std::string Write(Handler h, const std::function<void(RecordJsonWriter&)>& fn) {
  std::string out;
  RecordJsonWriter w(out, h);
  fn(w);
  return out;
}

TEST(RecordJsonWriter, PersonIsWrittenAsItsTreeDumps) {
  int seed = 0;
  for (const auto& text : Texts()) {
    for (int k = 0; k < 3; ++k, ++seed) {
      auto p = Person(text, seed);
      EXPECT_EQ(Write(Handler::strict, [&](RecordJsonWriter& w) { w.Person(p); }), PersonJson(p).dump()) << text;
    }
  }
}

TEST(RecordJsonWriter, ExtraMembersTakeTheirPlaceInKeyOrder) {
  auto p = Person("Alaoui", 3);
  const std::string ref = "H000000007", commune = "MA-03.061.01.01";
  for (double score : {1.0, 0.8333333333333334, 0.6, 0.0}) {
    ExtraMember extra[] = {
        {"commune_code", std::string_view(commune)}, {"household_ref", std::string_view(ref)}, {"score", score}};
    auto j = PersonJson(p);
    j["score"] = score;
    j["household_ref"] = ref;
    j["commune_code"] = commune;
    EXPECT_EQ(Write(Handler::replace, [&](RecordJsonWriter& w) { w.Person(p, extra); }),
              j.dump(-1, ' ', false, Handler::replace));
  }
  // An extra member named like one of the person's replaces it, as assigning it to the tree does.
  ExtraMember status[] = {{"status", std::string_view("shown")}};
  auto j = PersonJson(p);
  j["status"] = "shown";
  EXPECT_EQ(Write(Handler::strict, [&](RecordJsonWriter& w) { w.Person(p, status); }), j.dump());
}

TEST(RecordJsonWriter, HouseholdWithMembersAndAsOf) {
  int seed = 0;
  for (const auto& text : Texts()) {
    registry::HouseholdRecord h;
    h.id = 42 + seed;
    h.version = 3;
    h.created_at = "2026-01-02T03:04:05.000000Z";
    h.updated_at = "2026-02-03T04:05:06.000000Z";
    h.values = Sample(registry::HouseholdFields(), text, seed);
    for (int m = 0; m < seed % 4; ++m) h.members.push_back(Person(text, seed + m));
    ++seed;
    EXPECT_EQ(Write(Handler::strict, [&](RecordJsonWriter& w) { w.Household(h); }), HouseholdJson(h).dump());
    const std::string day = "2026-03-01";
    auto j = HouseholdJson(h);
    j["as_of"] = day;
    EXPECT_EQ(Write(Handler::strict, [&](RecordJsonWriter& w) { w.Household(h, &day); }), j.dump());
  }
}

TEST(RecordJsonWriter, IllFormedUtf8ThrowsOrIsReplacedAsTheTreeWould) {
  for (const std::string bad : {"a\xff", "\xc3", "x\xed\xa0\x80y", "\xf4\x90\x80\x80", "ok \xe2\x82 end"}) {
    auto p = Person(bad, 1);
    EXPECT_THROW(Write(Handler::strict, [&](RecordJsonWriter& w) { w.Person(p); }), nlohmann::json::type_error);
    EXPECT_EQ(Write(Handler::replace, [&](RecordJsonWriter& w) { w.Person(p); }),
              PersonJson(p).dump(-1, ' ', false, Handler::replace));
  }
}

// A fragment completed with any subset of its open members writes what Person(p, extra) writes, also for
// open keys before every member of the person (then the member's comma goes after it) and after all.
TEST(RecordJsonWriter, FragmentCompletedIsThePersonWithItsExtras) {
  const std::string ref = "H000000007", commune = "MA-03.061.01.01";
  const std::string_view keys[] = {"aaa_first", "commune_code", "household_ref", "score", "zzz_last"};
  const ExtraMember all[] = {{"aaa_first", std::string_view("a")},
                             {"commune_code", std::string_view(commune)},
                             {"household_ref", std::string_view(ref)},
                             {"score", 0.8333333333333334},
                             {"zzz_last", std::string_view("z \" \\ ")}};
  for (const auto& text : Texts()) {
    for (int seed = 0; seed < 4; ++seed) {
      auto p = Person(text, seed);
      const PersonFragment f = RecordJsonWriter::Fragment(p, keys);
      EXPECT_EQ(f.version, p.version);
      ASSERT_EQ(f.at.size(), std::size(keys));
      for (unsigned mask = 0; mask < (1U << std::size(keys)); ++mask) {
        std::vector<ExtraMember> extra;
        for (std::size_t i = 0; i < std::size(keys); ++i)
          if (mask & (1U << i)) extra.push_back(all[i]);
        EXPECT_EQ(Write(Handler::replace, [&](RecordJsonWriter& w) { w.Person(f, keys, extra); }),
                  Write(Handler::replace, [&](RecordJsonWriter& w) { w.Person(p, extra); }))
            << text << " seed " << seed << " extras " << mask;
      }
    }
  }
}

}  // namespace
}  // namespace sanad::api

// The table of change kinds and what the kinds share, without a database: every kind has its entry
// and name, payload readers report every problem at once with a catalogue code, and every summary
// code has a text in each language with no placeholder left unfilled.
#include <gtest/gtest.h>

#include "i18n/catalogue.h"
#include "registry/changes/kind_support.h"

namespace sanad::registry {
namespace {

TEST(ChangeKinds, EveryKindHasItsEntryAndItsNameReadsBack) {
  for (std::size_t i = 0; i < kChangeKindCount; ++i) {
    const auto kind = static_cast<ChangeKind>(i);
    const KindOps& ops = OpsOf(kind);
    EXPECT_EQ(ops.kind, kind);
    EXPECT_EQ(ParseChangeKind(ops.name), kind) << ops.name;
    EXPECT_TRUE(ops.validate && ops.apply) << ops.name;
    EXPECT_EQ(ops.staged, ops.name.starts_with("import_")) << ops.name << ": only imports are staged";
    EXPECT_TRUE(i18n::Render(i18n::Lang::kAr, "kind_name." + std::string(ops.name))) << ops.name;
  }
  EXPECT_FALSE(ParseChangeKind("fly_to_moon"));
  EXPECT_FALSE(ParseChangeKind(""));
}

TEST(ChangeKinds, PayloadReadersNameTheFieldWithACode) {
  auto keys = OnlyKeys(Json{{"person_id", 1}, {"colour", "red"}, {"size", 2}}, {"person_id"});
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().reason, "form.invalid");
  ASSERT_EQ(keys.error().problems.size(), 2u) << "both unknown keys at once";
  EXPECT_EQ(keys.error().problems[0].reason, "field.unknown");
  EXPECT_EQ(keys.error().problems[0].field, "payload.colour");

  auto missing = IdOf(Json::object(), "person_id");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, "field.required");
  EXPECT_EQ(missing.error().field, "payload.person_id");
  EXPECT_EQ(IdOf(Json{{"person_id", -3}}, "person_id").error().reason, "field.not_an_id");
  EXPECT_EQ(IdOf(Json{{"person_id", "7"}}, "person_id").error().reason, "field.not_an_id");
  EXPECT_EQ(*IdOf(Json{{"person_id", 7}}, "person_id"), 7);

  auto head = OneOf(Json{{"relationship", "head"}}, "relationship", Allowed<Relationship>(), {"head"});
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().reason, "value.not_allowed");
  EXPECT_EQ(*OneOf(Json{{"relationship", "child"}}, "relationship", Allowed<Relationship>(), {"head"}), "child");
}

TEST(ChangeKinds, ProblemsAreOneErrorOrAFormOfThem) {
  Problems none;
  EXPECT_TRUE(none.Done());

  Problems one;
  EXPECT_FALSE(one.Check(IdOf(Json::object(), "household_id")));
  auto single = one.Done();
  ASSERT_FALSE(single);
  EXPECT_EQ(single.error().reason, "field.required") << "one problem stays itself, its field the error's";
  EXPECT_EQ(single.error().field, "payload.household_id");

  Problems two;
  two.Check(IdOf(Json::object(), "household_id"));
  two.Check(Status(Failure(Code::kNotFound, "person.not_in_area", {{"id", "4"}}, "payload.person_id")));
  auto both = two.Done();
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().reason, "form.invalid");
  EXPECT_EQ(both.error().code, Code::kNotFound) << "a record out of reach keeps its status";
  ASSERT_EQ(both.error().problems.size(), 2u);
  EXPECT_EQ(both.error().problems[1].params, (MessageParams{{"id", "4"}}));
}

TEST(ChangeKinds, EverySummaryRendersInEveryLanguage) {
  const MessageParams all{{"commune", "MA-03.231.01.03"},
                          {"members", "2"},
                          {"head", "محمد"},
                          {"household", "H1"},
                          {"field", "address"},
                          {"count", "2"},
                          {"person", "P1"},
                          {"name", "سارة"},
                          {"reason", "death"},
                          {"from", "H1"},
                          {"to", "H2"},
                          {"merged", "H2"},
                          {"duplicate", "P2"},
                          {"duplicate_name", "سارة"},
                          {"rows", "10"},
                          {"file", "f.csv"},
                          {"households", "5"},
                          {"country", "MA"},
                          {"seed", "1"}};
  for (const char* code :
       {"summary.create_household", "summary.update_household_field", "summary.update_household_fields",
        "summary.update_person", "summary.add_member", "summary.remove_member", "summary.move_member",
        "summary.change_head", "summary.split_household", "summary.merge_households", "summary.merge_persons",
        "summary.exit_household", "summary.import_households", "summary.import_persons", "summary.demo_registry"}) {
    for (auto lang : {i18n::Lang::kAr, i18n::Lang::kFr, i18n::Lang::kEn}) {
      auto text = i18n::Render(lang, code, all);
      ASSERT_TRUE(text) << code << " has no text in " << i18n::LangTag(lang);
      EXPECT_EQ(text->find('{'), std::string::npos) << code << ": " << *text;
      EXPECT_EQ(text->find("reason_name"), std::string::npos) << *text;
    }
  }
  EXPECT_EQ(*i18n::Render(i18n::Lang::kFr, "summary.update_household_field", all),
            "Modification du ménage H1 : Adresse")
      << "the field is named in the reader's language";
}

}  // namespace
}  // namespace sanad::registry

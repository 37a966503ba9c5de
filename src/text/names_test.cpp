#include "text/names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "text/cross_script.h"

namespace sanad::text {
namespace {

using ::testing::ElementsAre;

TEST(NameTokens, FusesParticlesSoSplitAndJoinedFormsMeet) {
  EXPECT_EQ(NameTokens("Ben Ali"), NameTokens("Benali"));
  EXPECT_EQ(NameTokens("Abdel Kader"), NameTokens("Abdelkader"));
  EXPECT_EQ(NameTokens("Abd el-Kader"), NameTokens("ABDELKADER"));
  EXPECT_THAT(NameTokens("Mohamed Ben Ali"), ElementsAre("mohamed", "benali"));
  EXPECT_THAT(NameTokens("Aït Ahmed"), ElementsAre("aitahmed"));
  EXPECT_THAT(NameTokens("Ould Brahim"), ElementsAre("ouldbrahim"));
}

TEST(NameTokens, FusesArabicParticles) {
  EXPECT_EQ(NameTokens("عبد القادر").size(), 1u);
  EXPECT_EQ(NameTokens("محمد بن علي").size(), 2u);
}

TEST(NameTokens, DropsHonorificsAndExpandsAbbreviations) {
  EXPECT_THAT(NameTokens("Sidi Med"), ElementsAre("mohamed"));
  EXPECT_THAT(NameTokens("Hadj"), ElementsAre("hadj"));  // kept when alone
}

TEST(NameTokens, EmptyNameHasNoTokens) {
  EXPECT_TRUE(NameTokens("").empty());
  EXPECT_TRUE(NameTokens(" - ").empty());
}

TEST(CrossScriptKey, MohamedInBothScriptsAndAbbreviated) {
  const std::string k = CrossScriptKey("محمد");
  EXPECT_EQ(k, "MHMD");
  EXPECT_EQ(CrossScriptKey("Mohamed"), k);
  EXPECT_EQ(CrossScriptKey("Mohammed"), k);
  EXPECT_EQ(CrossScriptKey("Muhammad"), k);
  EXPECT_EQ(CrossScriptKey("Med"), k);
}

TEST(CrossScriptKey, AbdelkaderJoinedSplitAndArabic) {
  const std::string k = CrossScriptKey("عبد القادر");
  EXPECT_EQ(CrossScriptKey("Abdelkader"), k);
  EXPECT_EQ(CrossScriptKey("Abdel Kader"), k);
  EXPECT_EQ(CrossScriptKey("Abd el-Kader"), k);
}

TEST(CrossScriptKey, SunLetterAssimilation) {
  EXPECT_EQ(CrossScriptKey("Abderrahmane"), CrossScriptKey("عبد الرحمان"));
  EXPECT_EQ(CrossScriptKey("Abdel Rahman"), CrossScriptKey("عبد الرحمن"));
  EXPECT_EQ(CrossScriptKey("Noureddine"), CrossScriptKey("نور الدين"));
}

TEST(CrossScriptKey, HamzaFormsAndFusedSurnames) {
  EXPECT_EQ(CrossScriptKey("أحمد"), CrossScriptKey("احمد"));
  EXPECT_EQ(CrossScriptKey("Ahmed"), CrossScriptKey("أحمد"));
  EXPECT_EQ(CrossScriptKey("Ben Ali"), CrossScriptKey("بن علي"));
  EXPECT_EQ(CrossScriptKey("Benali"), CrossScriptKey("بن علي"));
  EXPECT_EQ(CrossScriptKey("El Alaoui"), CrossScriptKey("العلوي"));
}

TEST(CrossScriptKey, DistinctNamesKeepDistinctKeys) {
  EXPECT_NE(CrossScriptKey("M'hamed"), CrossScriptKey("Mohamed"));
  EXPECT_EQ(CrossScriptKey("M'hamed"), CrossScriptKey("امحمد"));
  EXPECT_NE(CrossScriptKey("Lahcen"), CrossScriptKey("Hocine"));
  EXPECT_EQ(CrossScriptKey("Lahcen"), CrossScriptKey("الحسن"));
  EXPECT_NE(CrossScriptKey("Said"), CrossScriptKey("Sayed"));
}

TEST(CrossScriptKey, EmptyNameGivesEmptyKey) { EXPECT_EQ(CrossScriptKey(""), ""); }

TEST(NameMatchForm, ComparesWithinOneScript) {
  EXPECT_EQ(NameMatchForm("Abdel Kader"), NameMatchForm("Abdelkader"));
  EXPECT_EQ(NameMatchForm("Mohammed Ben Ali"), NameMatchForm("Mohamed Benali"));
  EXPECT_EQ(NameMatchForm("أحمد"), NameMatchForm("احمد"));
}

}  // namespace
}  // namespace sanad::text

// Area scope and registry invariants on every path of the change-request workflow, on SQLite and
// PostgreSQL: a request is listed, read and decided only by reviewers whose scope covers every commune
// it touches; a stored request is validated again when approved; imports keep one head per household.
#include <gtest/gtest.h>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "db/migrations.h"
#include "db/row.h"
#include "geo/reference_data.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry/importer.h"
#include "registry_fixture.h"
#include "test_db.h"

namespace sanad::registry {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";         // Fès-Meknès region (MA-03)
constexpr const char* kCasablanca = "MA-06.371.01.01";  // Casablanca-Settat region (MA-06)

class RegistryScope : public RegistryFixture {
 protected:
  static Json Family(const std::string& commune, const std::string& head_name, const std::string& nid) {
    Json head{{"relationship", "head"},
              {"given_name_ar", head_name},
              {"family_name_ar", "العلوي"},
              {"sex", "M"},
              {"birth_date", "1970"}};
    if (!nid.empty()) head["national_id"] = nid;
    return Json{{"household", {{"commune_code", commune}, {"urban", true}, {"address", "1 Derb"}}},
                {"members", Json::array({head,
                                         {{"relationship", "child"},
                                          {"given_name_ar", "يوسف"},
                                          {"family_name_ar", "العلوي"},
                                          {"sex", "M"},
                                          {"birth_date", "2010"}}})}};
  }

  // A household created and approved by national accounts: its id and its members' ids (head first).
  std::pair<std::int64_t, std::vector<std::int64_t>> Household(const std::string& commune, const std::string& head_name,
                                                               const std::string& nid = "") {
    auto cr = changes_->Submit("create_household", Family(commune, head_name, nid), national_agent_);
    EXPECT_TRUE(cr) << cr.error().message;
    auto ok = changes_->Approve(cr->id, national_, "checked", false);
    EXPECT_TRUE(ok) << ok.error().message;
    auto s = db_->Acquire();
    long long id = 0;
    s.sql() << "SELECT MAX(id) FROM households", soci::into(id);
    std::vector<std::int64_t> members;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT id FROM persons WHERE household_id = :h ORDER BY id", soci::use(id));
    for (const auto& r : rs) members.push_back(db::RowInt(r, 0));
    return {id, members};
  }

  std::vector<std::int64_t> Listed(const Actor& who) {
    auto page = store_->requests.ListChangeRequests(std::string("pending"), 100, 0, who.scope);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::int64_t> ids;
    for (const auto& c : page->first) ids.push_back(c.id);
    return ids;
  }

  bool Lists(const Actor& who, std::int64_t id) {
    auto ids = Listed(who);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  Actor national_agent_ = Who(1, "agent.national");
  Actor national_ = Who(2, "reviewer.national");
  Actor fes_ = Who(3, "coord.fes", "MA-03");
  Actor casablanca_ = Who(4, "coord.casa", "MA-06");
};

TEST_F(RegistryScope, AMoveBetweenTwoRegionsIsDecidedOnlyByAReviewerCoveringBoth) {
  auto [casa_home, casa_members] = Household(kCasablanca, "عمر");
  auto [fes_home, fes_members] = Household(kFes, "محمد");
  auto cr = changes_->Submit("move_member",
                             {{"person_id", casa_members[1]}, {"to_household_id", fes_home}, {"relationship", "child"}},
                             national_agent_);
  ASSERT_TRUE(cr) << cr.error().message;

  for (const Actor* regional : {&casablanca_, &fes_}) {
    EXPECT_TRUE(!Lists(*regional, cr->id)) << regional->username << " lists it";
    auto approved = changes_->Approve(cr->id, *regional, "", false);
    ASSERT_FALSE(approved) << regional->username << " approved a move touching another region";
    EXPECT_EQ(approved.error().code, Code::kNotFound);
    auto rejected = changes_->Reject(cr->id, *regional, "no");
    ASSERT_FALSE(rejected);
    EXPECT_EQ(rejected.error().code, Code::kNotFound);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE household_id = " + std::to_string(fes_home)), 2)
      << "nothing moved";
  EXPECT_TRUE(Lists(national_, cr->id));
  ASSERT_TRUE(changes_->Approve(cr->id, national_, "", false));
}

TEST_F(RegistryScope, AMergeOfTwoPersonsCountsBothPersonsCommunes) {
  auto [fes_home, fes_members] = Household(kFes, "محمد");
  auto [casa_home, casa_members] = Household(kCasablanca, "محمد");
  auto cr = changes_->Submit("merge_persons", {{"person_id", fes_members[1]}, {"duplicate_person_id", casa_members[1]}},
                             national_agent_);
  ASSERT_TRUE(cr) << cr.error().message;
  EXPECT_TRUE(!Lists(fes_, cr->id)) << "the summary names a Casablanca person: not for a Fès coordinator";
  auto approved = changes_->Approve(cr->id, fes_, "", false);
  ASSERT_FALSE(approved) << "a Fès-Meknès coordinator marked a Casablanca person merged";
  EXPECT_EQ(approved.error().code, Code::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE status = 'merged'"), 0);
}

TEST_F(RegistryScope, AnUpdateMovingAHouseholdToAnotherRegionNeedsBothRegions) {
  auto [fes_home, fes_members] = Household(kFes, "محمد");
  auto cr = changes_->Submit(
      "update_household", {{"household_id", fes_home}, {"changes", {{"commune_code", kCasablanca}}}}, national_agent_);
  ASSERT_TRUE(cr) << cr.error().message;
  auto approved = changes_->Approve(cr->id, fes_, "", false);
  ASSERT_FALSE(approved) << "Fès approved moving a household into Casablanca";
  EXPECT_EQ(approved.error().code, Code::kNotFound);
  EXPECT_TRUE(!Lists(casablanca_, cr->id));
  EXPECT_TRUE(changes_->Approve(cr->id, national_, "", false));
}

TEST_F(RegistryScope, AStoredRequestIsValidatedAgainAtApproval) {
  auto [home, members] = Household(kFes, "محمد");
  auto [other, other_members] = Household(kFes, "أحمد");
  // Filed while the destination was active; the destination exits before the approval.
  auto move = changes_->Submit("move_member",
                               {{"person_id", members[1]}, {"to_household_id", other}, {"relationship", "child"}},
                               national_agent_);
  ASSERT_TRUE(move) << move.error().message;
  auto exit = changes_->Submit("exit_household", {{"household_id", other}, {"reason", "emigration"}}, national_agent_);
  ASSERT_TRUE(exit) << exit.error().message;
  ASSERT_TRUE(changes_->Approve(exit->id, national_, "", false));
  auto approved = changes_->Approve(move->id, national_, "", true);
  ASSERT_FALSE(approved) << "a person was moved into a household that has exited";
  EXPECT_EQ(approved.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(approved.error().field, "payload.to_household_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE household_id = " + std::to_string(home)), 2);
}

TEST_F(RegistryScope, AStoredPayloadThatNoLongerParsesIsRefusedNotAppliedAsEmptyValues) {
  auto [home, members] = Household(kFes, "محمد");
  auto cr = changes_->Submit("add_member",
                             {{"household_id", home},
                              {"person",
                               {{"relationship", "child"},
                                {"given_name_ar", "سارة"},
                                {"family_name_ar", "العلوي"},
                                {"sex", "F"},
                                {"birth_date", "2012"}}}},
                             national_agent_);
  ASSERT_TRUE(cr) << cr.error().message << " " << cr.error().field;
  {
    // A request stored under older rules (or altered): a value today's rules refuse.
    auto s = db_->Acquire();
    std::string payload = Json{
        {"household_id", home},
        {"person",
         {{"relationship", "child"},
          {"given_name_ar", "سارة"},
          {"family_name_ar", "العلوي"},
          {"sex", "X"},
          {"birth_date",
           "2012"}}}}.dump();
    long long id = cr->id;
    s.sql() << "UPDATE change_requests SET payload = :p WHERE id = :id", soci::use(payload), soci::use(id);
  }
  auto approved = changes_->Approve(cr->id, national_, "", false);
  ASSERT_FALSE(approved) << "applied as a person without sex or name";
  EXPECT_EQ(approved.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(approved.error().field, "payload.person.sex");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE sex IS NULL"), 0);
}

TEST_F(RegistryScope, TwoPersonImportsApprovedOneAfterTheOtherCannotGiveAHouseholdTwoHeads) {
  Importer importer(*store_, *changes_, clock_);
  auto households =
      importer.ImportHouseholds(std::string("household_ref,commune_code,urban,address\nIMP-1,") + kFes + ",1,Derb 1\n",
                                national_agent_, {.file_name = "households.csv"});
  ASSERT_TRUE(households && households->accepted());
  ASSERT_TRUE(changes_->Approve(households->change_request->id, national_, "ok", false));
  auto persons = [&](const std::string& record_id, const std::string& name) {
    return importer.ImportPersons("record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date\n" +
                                      record_id + ",IMP-1,head," + name + ",العلوي,M,1970\n",
                                  national_agent_, {.file_name = record_id + ".csv"});
  };
  auto first = persons("IMP-P1", "محمد");
  auto second = persons("IMP-P2", "أحمد");
  ASSERT_TRUE(first && first->accepted() && second && second->accepted())
      << "both files are valid against the registry";
  ASSERT_TRUE(changes_->Approve(first->change_request->id, national_, "ok", false));
  auto approved = changes_->Approve(second->change_request->id, national_, "ok", false);
  ASSERT_FALSE(approved) << "the household got two heads";
  EXPECT_EQ(approved.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE relationship = 'head'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_persons"), 1) << "the refused import stays pending, staged";
}

TEST_F(RegistryScope, AHeaderOnlyFileFilesNothing) {
  Importer importer(*store_, *changes_, clock_);
  auto out = importer.ImportHouseholds("household_ref,commune_code,urban,address\n", national_agent_,
                                       {.file_name = "empty.csv"});
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->accepted());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests"), 0);
}

TEST_F(RegistryScope, ABenefitForAPersonOutsideTheScopeIsNotFoundWhateverHouseholdIsNamed) {
  auto [fes_home, fes_members] = Household(kFes, "محمد");
  auto [casa_home, casa_members] = Household(kCasablanca, "عمر");
  BenefitLedger ledger(*store_, *audit_, clock_);
  BenefitInput in{.person_id = casa_members[0],
                  .household_id = fes_home,
                  .programme = "ASD",
                  .kind = "cash",
                  .date = "2026-01-15",
                  .amount_minor = 35000,
                  .currency = "MAD",
                  .reference = "B-1",
                  .source = "manual"};
  auto with_other_home = ledger.Record(in, fes_);
  ASSERT_FALSE(with_other_home);
  EXPECT_EQ(with_other_home.error().code, Code::kNotFound)
      << "membership was checked before scope: " << with_other_home.error().message;
  in.household_id = casa_home;
  auto with_own_home = ledger.Record(in, fes_);
  ASSERT_FALSE(with_own_home);
  EXPECT_EQ(with_own_home.error().code, Code::kNotFound);
  // In scope, a wrong household is an input error.
  in.person_id = fes_members[0];
  auto mismatch = ledger.Record(in, fes_);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, Code::kNotFound) << "household in Casablanca, outside the Fès scope";
}

}  // namespace
}  // namespace sanad::registry

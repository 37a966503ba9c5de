// The registry's change-request workflow on SQLite and PostgreSQL: four eyes, atomic application,
// conflicts, history and as-of reads, scope, merges and the benefit ledger.
#include <gtest/gtest.h>

#include <thread>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "db/migrations.h"
#include "geo/reference_data.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry_fixture.h"
#include "test_db.h"

namespace sanad::registry {
namespace {

using Json = nlohmann::json;

class RegistryContract : public RegistryFixture {
 protected:
  static Json Family() {
    return Json::parse(R"({
      "household": {"commune_code": "MA-03.231.01.03", "urban": true, "address": "12 Derb Lamtiyine"},
      "members": [
        {"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M", "birth_date": "1970-03-02",
         "national_id": "c123456", "phone": "0612345678"},
        {"relationship": "spouse", "given_name_ar": "فاطمة", "family_name_ar": "العلوي", "sex": "F", "birth_date": "1975"},
        {"relationship": "child", "given_name_lat": "Youssef", "family_name_lat": "Benali", "sex": "M",
         "birth_date": "2010-09-01", "schooling": "lower_secondary"}]})");
  }

  std::int64_t CreateApproved(const Json& payload = Family()) {
    auto cr = changes_->Submit("create_household", payload, agent_);
    EXPECT_TRUE(cr) << cr.error().message;
    auto ok = changes_->Approve(cr->id, coordinator_, "checked", false);
    EXPECT_TRUE(ok) << ok.error().message;
    auto s = db_->Acquire();
    long long id = 0;
    s.sql() << "SELECT MAX(id) FROM households", soci::into(id);
    return id;
  }

  Actor agent_ = Who(1, "agent", "MA-03.231");
  Actor coordinator_ = Who(2, "coordinator", "MA-03");
  Actor casablanca_ = Who(3, "casa", "MA-06");
};

TEST_F(RegistryContract, HasAColumnForEveryFieldInEveryTableThatMirrorsTheFieldTables) {
  // migrations/0002_registry.sql writes the columns of registry_model/fields.h by hand: a missing or
  // misspelt column fails this on either database.
  auto columns = [](std::span<const FieldSpec> fields) {
    std::string out;
    for (const auto& f : fields) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
  };
  auto s = db_->Acquire();
  for (const char* table : {"households", "household_versions", "staged_households"}) {
    EXPECT_NO_THROW(s.sql() << "SELECT " + columns(HouseholdFields()) + " FROM " + table + " WHERE 1 = 0") << table;
  }
  for (const char* table : {"persons", "person_versions", "staged_persons"}) {
    EXPECT_NO_THROW(s.sql() << "SELECT " + columns(PersonFields()) + " FROM " + table + " WHERE 1 = 0") << table;
  }
}

TEST_F(RegistryContract, AppliesAHouseholdOnlyAfterASecondPersonApprovesIt) {
  auto cr = changes_->Submit("create_household", Family(), agent_);
  ASSERT_TRUE(cr) << cr.error().message;
  EXPECT_EQ(cr->status, "pending");
  auto own = changes_->Approve(cr->id, agent_, "", false);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, Code::kPermissionDenied);
  auto out_of_area = changes_->Approve(cr->id, casablanca_, "", false);
  ASSERT_FALSE(out_of_area);
  EXPECT_EQ(out_of_area.error().code, Code::kNotFound);
  Scope national{std::nullopt, DateOf(clock_.Now()).ToString()};
  EXPECT_EQ(store_->households.ListHouseholds(std::nullopt, 10, 0, national)->second, 0);

  auto applied = changes_->Approve(cr->id, coordinator_, "seen the family", false);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->status, "applied");
  auto list = store_->households.ListHouseholds(std::nullopt, 10, 0, national);
  ASSERT_EQ(list->second, 1);
  const auto& h = list->first[0];
  EXPECT_EQ(h.values[0], "H000000001");
  ASSERT_EQ(h.members.size(), 3u);
  EXPECT_EQ(h.members[0].values[FieldIndex(kPersonFields, "national_id")], "C123456");
  EXPECT_EQ(h.members[0].values[FieldIndex(kPersonFields, "phone")], "+212612345678");
  EXPECT_FALSE(changes_->Approve(cr->id, coordinator_, "", false)) << "a request applies once";
}

TEST_F(RegistryContract, HidesHouseholdsOutsideTheCallersAreaInTheQueryItself) {
  std::int64_t id = CreateApproved();
  EXPECT_TRUE(*store_->households.GetHousehold(id, coordinator_.scope));
  EXPECT_FALSE(*store_->households.GetHousehold(id, casablanca_.scope));
  SearchFilter f;
  f.national_id = "C123456";
  EXPECT_EQ(store_->households.SearchPersons(f, coordinator_.scope)->second, 1);
  EXPECT_EQ(store_->households.SearchPersons(f, casablanca_.scope)->second, 0);
  auto edit = changes_->Submit("update_household", {{"household_id", id}, {"changes", {{"rooms", 3}}}}, casablanca_);
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code, Code::kNotFound);
}

TEST_F(RegistryContract, ShowsNothingAsOfADayBeforeTheApprovalAndTheHouseholdAfterIt) {
  std::int64_t id = CreateApproved();
  auto before = store_->households.GetHouseholdAsOf(id, "2020-01-01", coordinator_.scope);
  ASSERT_TRUE(before);
  EXPECT_FALSE(*before);
  auto today = store_->households.GetHouseholdAsOf(id, DateOf(clock_.Now()).ToString(), coordinator_.scope);
  ASSERT_TRUE(today && *today);
  EXPECT_EQ((*today)->members.size(), 3u);
}

TEST_F(RegistryContract, FlagsTwoPendingRequestsOnOneRecordAndRefusesTheStaleOneWithoutReview) {
  std::int64_t id = CreateApproved();
  auto first = changes_->Submit("update_household", {{"household_id", id}, {"changes", {{"rooms", 3}}}}, agent_);
  auto second = changes_->Submit("update_household", {{"household_id", id}, {"changes", {{"rooms", 4}}}}, agent_);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->conflicts_with, std::vector<std::int64_t>{first->id});
  ASSERT_TRUE(changes_->Approve(first->id, coordinator_, "", false));
  auto stale = changes_->Approve(second->id, coordinator_, "", false);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Code::kConflict);
  EXPECT_EQ((*store_->households.GetHousehold(id, coordinator_.scope))->values[FieldIndex(kHouseholdFields, "rooms")],
            "3");
  ASSERT_TRUE(changes_->Approve(second->id, coordinator_, "reviewed: 4 rooms is right", true));
  EXPECT_EQ((*store_->households.GetHousehold(id, coordinator_.scope))->values[FieldIndex(kHouseholdFields, "rooms")],
            "4");
  auto history = store_->history.HouseholdHistory(id, Scope{});
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u) << "creation and the two approved edits";
  const auto& last = history->back().records.at(0).fields.at(0);
  EXPECT_EQ(last.field, "rooms");
  EXPECT_EQ(last.before, "3");
  EXPECT_EQ(last.after, "4");
}

// The field-level history: what each approved change set, with the value it replaced.
const FieldChange* Changed(const RecordChange& r, std::string_view field) {
  for (const auto& f : r.fields)
    if (f.field == field) return &f;
  return nullptr;
}

TEST_F(RegistryContract, KeepsTheBeforeAndAfterValueOfEveryFieldEachApprovedChangeSet) {
  std::int64_t id = CreateApproved();
  std::int64_t child = (*store_->households.GetHousehold(id, coordinator_.scope))->members[2].id;
  auto edit =
      changes_->Submit("update_household",
                       {{"household_id", id}, {"changes", {{"rooms", 3}, {"address", "14 Derb Lamtiyine"}}}}, agent_);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_TRUE(changes_->Approve(edit->id, coordinator_, "", false));
  auto school = changes_->Submit("update_person",
                                 {{"person_id", child}, {"changes", {{"schooling", "upper_secondary"}}}}, agent_);
  ASSERT_TRUE(school) << school.error().message;
  ASSERT_TRUE(changes_->Approve(school->id, coordinator_, "", false));

  auto history = store_->history.HouseholdHistory(id, Scope{});
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 3u);
  const auto& created = (*history)[0];
  EXPECT_EQ(created.kind, "create_household");
  ASSERT_EQ(created.records.size(), 4u) << "the household and its three members";
  EXPECT_EQ(created.records[0].record_type, "household");
  const auto* address = Changed(created.records[0], "address");
  ASSERT_NE(address, nullptr);
  EXPECT_EQ(address->before, std::nullopt);
  EXPECT_EQ(address->after, "12 Derb Lamtiyine");

  const auto& household_edit = (*history)[1];
  EXPECT_EQ(household_edit.change_request_id, edit->id);
  EXPECT_EQ(household_edit.author, "agent");
  EXPECT_EQ(household_edit.reviewer, "coordinator");
  ASSERT_EQ(household_edit.records.size(), 1u);
  const auto& fields = household_edit.records[0].fields;
  ASSERT_EQ(fields.size(), 2u) << "only what the request changed";
  EXPECT_EQ(fields[0].field, "address");
  EXPECT_EQ(fields[0].before, "12 Derb Lamtiyine") << "the value the change replaced stays visible";
  EXPECT_EQ(fields[0].after, "14 Derb Lamtiyine");
  EXPECT_EQ(fields[1].field, "rooms");
  EXPECT_EQ(fields[1].before, std::nullopt);
  EXPECT_EQ(fields[1].after, "3");

  const auto& person_edit = (*history)[2];
  ASSERT_EQ(person_edit.records.size(), 1u);
  EXPECT_EQ(person_edit.records[0].record_type, "person");
  EXPECT_EQ(person_edit.records[0].record_id, child);
  ASSERT_EQ(person_edit.records[0].fields.size(), 1u);
  EXPECT_EQ(person_edit.records[0].fields[0].before, "lower_secondary");
  EXPECT_EQ(person_edit.records[0].fields[0].after, "upper_secondary");
}

TEST_F(RegistryContract, ShowsAMemberWhoMovedInTheHistoryOfBothHouseholds) {
  std::int64_t from = CreateApproved();
  Json other = Family();
  other["members"][0].erase("national_id");
  other["members"][0].erase("phone");
  std::int64_t to = CreateApproved(other);
  std::int64_t child = (*store_->households.GetHousehold(from, coordinator_.scope))->members[2].id;
  auto move = changes_->Submit("move_member",
                               {{"person_id", child}, {"to_household_id", to}, {"relationship", "grandchild"}}, agent_);
  ASSERT_TRUE(move) << move.error().message;
  ASSERT_TRUE(changes_->Approve(move->id, coordinator_, "", false));
  for (std::int64_t household : {from, to}) {
    auto history = store_->history.HouseholdHistory(household, Scope{});
    ASSERT_TRUE(history);
    const auto& last = history->back();
    EXPECT_EQ(last.change_request_id, move->id) << household;
    const RecordChange* moved = nullptr;
    for (const auto& r : last.records)
      if (r.record_id == child) moved = &r;
    ASSERT_NE(moved, nullptr) << household;
    const auto* hid = Changed(*moved, "household_id");
    ASSERT_NE(hid, nullptr);
    EXPECT_EQ(hid->before, std::to_string(from));
    EXPECT_EQ(hid->after, std::to_string(to));
    const auto* rel = Changed(*moved, "relationship");
    ASSERT_NE(rel, nullptr);
    EXPECT_EQ(rel->before, "child");
    EXPECT_EQ(rel->after, "grandchild");
  }
}

TEST_F(RegistryContract, AppliesAllOrNothingWhenAChangeBreaksTheOneHeadRule) {
  std::int64_t id = CreateApproved();
  auto h = *store_->households.GetHousehold(id, coordinator_.scope);
  std::int64_t spouse = h->members[1].id;
  // Filed while valid, then the household changes so that applying it would leave no member active.
  auto remove = changes_->Submit("remove_member", {{"person_id", spouse}, {"reason", "death"}}, agent_);
  ASSERT_TRUE(remove);
  auto split = changes_->Submit("split_household",
                                {{"household_id", id},
                                 {"person_ids", {spouse}},
                                 {"new_head_person_id", spouse},
                                 {"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}}}},
                                agent_);
  ASSERT_TRUE(split) << split.error().message;
  ASSERT_TRUE(changes_->Approve(split->id, coordinator_, "", false));
  std::int64_t versions_before = (*store_->households.GetHousehold(id, coordinator_.scope))->version;
  auto r = changes_->Approve(remove->id, coordinator_, "", true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
  EXPECT_EQ((*store_->households.GetHousehold(id, coordinator_.scope))->version, versions_before)
      << "nothing half-applied";
  EXPECT_EQ((*store_->requests.GetChangeRequest(remove->id, Scope{}))->status, "pending");
}

TEST_F(RegistryContract, ValidatesPayloadsAndNamesTheField) {
  Json bad = Family();
  bad["members"][2]["birth_date"] = "2010-02-30";
  auto r = changes_->Submit("create_household", bad, agent_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "payload.members[2].birth_date");
  bad = Family();
  bad["members"][1]["relationship"] = "head";
  EXPECT_EQ(changes_->Submit("create_household", bad, agent_).error().field, "payload.members");
  bad = Family();
  bad["members"][0]["national_id"] = "123";
  EXPECT_EQ(changes_->Submit("create_household", bad, agent_).error().field, "payload.members[0].national_id");
  bad = Family();
  bad["household"]["commune_code"] = "MA-06.141.01.0";  // Casablanca: outside the agent's prefecture
  EXPECT_EQ(changes_->Submit("create_household", bad, agent_).error().code, Code::kPermissionDenied);
  EXPECT_EQ(changes_->Submit("fly_to_moon", Json::object(), agent_).error().field, "kind");
}

TEST_F(RegistryContract, MergesADuplicatePersonKeepingTheSurvivorAndItsBenefits) {
  std::int64_t a = CreateApproved();
  Json dup = Family();
  dup["members"] = Json::array({dup["members"][0]});
  dup["members"][0].erase("national_id");
  dup["members"][0]["given_name_lat"] = "Mohamed";
  dup["members"][0]["family_name_lat"] = "Benali";
  std::int64_t b = CreateApproved(dup);
  auto keep = (*store_->households.GetHousehold(a, coordinator_.scope))->members[0];
  auto gone = (*store_->households.GetHousehold(b, coordinator_.scope))->members[0];
  BenefitLedger ledger(*store_, *audit_, clock_);
  BenefitInput in{gone.id,      std::nullopt,       "ASD",     "cash", "2026-10-31", 50000, "MAD", std::nullopt,
                  std::nullopt, "ASD-2026-10-7781", "payments"};
  ASSERT_TRUE(ledger.Record(in, coordinator_));
  EXPECT_EQ(ledger.Record(in, coordinator_).error().code, Code::kAlreadyExists) << "recording is idempotent";

  auto merge = changes_->Submit("merge_persons", {{"person_id", keep.id}, {"duplicate_person_id", gone.id}}, agent_);
  ASSERT_TRUE(merge) << merge.error().message;
  ASSERT_TRUE(changes_->Approve(merge->id, coordinator_, "same CIN holder", false));
  auto survivor = store_->households.GetPerson(keep.id, coordinator_.scope);
  ASSERT_TRUE(survivor && survivor->has_value());
  EXPECT_EQ(survivor->value().values[FieldIndex(kPersonFields, "given_name_lat")], "Mohamed")
      << "filled from the duplicate";
  auto merged = store_->households.GetPerson(gone.id, coordinator_.scope);
  ASSERT_TRUE(merged && merged->has_value());
  EXPECT_EQ(merged->value().values[FieldIndex(kPersonFields, "status")], "merged");
  EXPECT_EQ(merged->value().merged_into, keep.id);
  EXPECT_EQ(store_->benefits.Benefits(keep.id, std::nullopt)->size(), 1u);
  EXPECT_EQ((*store_->households.GetHousehold(b, coordinator_.scope))->values[FieldIndex(kHouseholdFields, "status")],
            "exited");
  auto chain = audit_->Verify();
  ASSERT_TRUE(chain);
  EXPECT_FALSE(chain->first_broken_id);
}

TEST_F(RegistryContract, KeepsABenefitReferenceAStringValueInItsAuditEntry) {
  std::int64_t h = CreateApproved();
  auto head = (*store_->households.GetHousehold(h, coordinator_.scope))->members[0];
  BenefitLedger ledger(*store_, *audit_, clock_);
  const std::string crafted = R"(x","recorded_by":"mallory)";
  BenefitInput in{head.id, std::nullopt, "ASD",        "cash",  "2026-10-31", 50000,
                  "MAD",   std::nullopt, std::nullopt, crafted, "payments"};
  auto row = ledger.Record(in, coordinator_);
  ASSERT_TRUE(row) << row.error().message;
  audit::AuditQuery q;
  q.record_type = "benefit";
  q.record_id = std::to_string(row->id);
  auto page = audit_->Query(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  auto details = Json::parse(page->items[0].details, nullptr, false);
  ASSERT_TRUE(details.is_object()) << page->items[0].details;
  EXPECT_EQ(details["reference"], crafted);
  EXPECT_EQ(details["programme"], "ASD");
  EXPECT_FALSE(details.contains("recorded_by")) << page->items[0].details;
}

}  // namespace
}  // namespace sanad::registry

// Lists sorted by a text column come in the same order on SQLite and PostgreSQL, whatever the
// collation of the PostgreSQL server: the bytes of the UTF-8 text (db::TextOrder). On PostgreSQL the
// test gives the sorted columns a linguistic collation (ICU English or Arabic), standing for a
// production server whose locale is en_US, fr_FR or ar_MA rather than the test server's C.UTF-8.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "registry_fixture.h"

namespace sanad::registry {
namespace {

using Json = nlohmann::json;

std::vector<std::string> ByteOrder(std::vector<std::string> v, bool descending = false) {
  std::sort(v.begin(), v.end());
  if (descending) std::reverse(v.begin(), v.end());
  return v;
}

class TextOrder : public RegistryFixture {
 protected:
  bool postgres() const { return db_->dialect() == db::Dialect::kPostgres; }

  // PostgreSQL only: `column` compares by a linguistic collation, as on a server with such a locale.
  void Linguistic(const std::string& table, const std::string& column, const std::string& collation) {
    if (!postgres()) return;
    auto s = db_->Acquire();
    s.sql() << "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE TEXT COLLATE \"" + collation + "\"";
  }

  // The column's values in the order of its own collation (a plain ORDER BY, without TextOrder).
  std::vector<std::string> ByCollation(const std::string& table, const std::string& column) {
    auto s = db_->Acquire();
    std::vector<std::string> out;
    soci::rowset<std::string> rs = s.sql().prepare << "SELECT " + column + " FROM " + table + " WHERE " + column +
                                                          " IS NOT NULL ORDER BY " + column;
    for (const auto& v : rs) out.push_back(v);
    return out;
  }

  std::vector<std::string> Persons(PersonSort sort, bool descending, const char* field) {
    SearchFilter f;
    f.sort = sort;
    f.descending = descending;
    auto found = store_->households.SearchPersons(f, Scope{std::nullopt, DateOf(clock_.Now()).ToString()});
    EXPECT_TRUE(found) << found.error().message;
    std::vector<std::string> out;
    if (!found) return out;
    for (const auto& p : found->first) out.push_back(p.values[FieldIndex(kPersonFields, field)].value_or("(none)"));
    return out;
  }
};

TEST_F(TextOrder, PersonNamesGoByTheirBytesArabicAndLatinAlike) {
  Linguistic("persons", "given_name_lat", "en-x-icu");
  Linguistic("persons", "given_name_ar", "ar-x-icu");
  // Case, accents and the alef's hamza or madda: a linguistic collation orders these otherwise.
  auto member = [](const char* relationship, const char* ar, const char* lat, const char* year) {
    Json m{{"relationship", relationship},
           {"given_name_lat", lat},
           {"family_name_lat", "Alaoui"},
           {"sex", "M"},
           {"birth_date", year}};
    if (ar) m.update({{"given_name_ar", ar}, {"family_name_ar", "العلوي"}});
    return m;
  };
  Json family{{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}, {"address", "1 Derb"}}},
              {"members",
               {member("head", "أحمد", "ahmed", "1970"), member("child", "احمد", "Zineb", "2001"),
                member("child", "آمنة", "Émile", "2003"), member("child", "ابراهيم", "Adam", "2005"),
                member("child", nullptr, "omar", "2007")}}};
  auto cr = changes_->Submit("create_household", family, Who(1, "agent", "MA-03.231"));
  ASSERT_TRUE(cr) << cr.error().message;
  ASSERT_TRUE(changes_->Approve(cr->id, Who(2, "coordinator", "MA-03"), "checked", false));

  const std::vector<std::string> latin = ByteOrder({"ahmed", "Zineb", "Émile", "Adam", "omar"});
  const std::vector<std::string> arabic = ByteOrder({"أحمد", "احمد", "آمنة", "ابراهيم"});
  ASSERT_EQ(latin, (std::vector<std::string>{"Adam", "Zineb", "ahmed", "omar", "Émile"}));
  if (postgres()) {
    EXPECT_NE(ByCollation("persons", "given_name_lat"), latin) << "the collation should order them otherwise";
    EXPECT_NE(ByCollation("persons", "given_name_ar"), arabic) << "the collation should order them otherwise";
  }
  EXPECT_EQ(Persons(PersonSort::kNameLat, false, "given_name_lat"), latin);
  EXPECT_EQ(Persons(PersonSort::kNameLat, true, "given_name_lat"), ByteOrder(latin, true));
  // A person without an Arabic name comes last both ways.
  std::vector<std::string> with_none = arabic;
  with_none.emplace_back("(none)");
  EXPECT_EQ(Persons(PersonSort::kNameAr, false, "given_name_ar"), with_none);
  with_none = ByteOrder(arabic, true);
  with_none.emplace_back("(none)");
  EXPECT_EQ(Persons(PersonSort::kNameAr, true, "given_name_ar"), with_none);
}

TEST_F(TextOrder, UsernamesGoByTheirBytesPunctuationIncluded) {
  Linguistic("users", "username", "en-x-icu");
  auth::AuthStore store(*db_, *audit_);
  auth::AuthService service(store, *audit_, clock_);
  const std::vector<std::string> names = ByteOrder({"ab_c", "abc", "ab.c", "ab-c"});
  for (const auto& n : names) {
    auto u = service.CreateUser(n, "a long enough password", {auth::Role::kAuditor}, {});
    ASSERT_TRUE(u) << n << ": " << u.error().reason;
  }
  if (postgres()) {
    EXPECT_NE(ByCollation("users", "username"), names) << "the collation should order them otherwise";
  }
  auto usernames = [&](std::string_view sort) {
    long long total = 0;
    auto users = store.ListUsers(10, 0, sort, total);
    EXPECT_TRUE(users) << users.error().message;
    std::vector<std::string> out;
    if (users) {
      for (const auto& u : *users) out.push_back(u.username);
    }
    return out;
  };
  EXPECT_EQ(usernames("username"), names);
  EXPECT_EQ(usernames("-username"), ByteOrder(names, true));
  EXPECT_EQ(usernames(""), names) << "the default order is the username's too";
}

TEST_F(TextOrder, AuditEntriesGoByTheBytesOfTheirUsername) {
  Linguistic("audit_log", "username", "ar-x-icu");
  const std::vector<std::string> names = ByteOrder({"Zineb", "adam", "أحمد", "ahmed", "Émile"});
  for (const auto& n : names) {
    audit::AuditEntry e;
    e.username = n;
    e.action = "text_order";
    e.record_type = "person";
    e.record_id = "1";
    e.ip = "127.0.0.1";
    e.request_id = "r";
    ASSERT_TRUE(audit_->Append(e));
  }
  if (postgres()) {
    EXPECT_NE(ByCollation("audit_log", "username"), names) << "the collation should order them otherwise";
  }
  auto usernames = [&](const char* sort) {
    audit::AuditQuery q;
    q.action = "text_order";
    q.sort = sort;
    auto page = audit_->Query(q);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> out;
    if (page) {
      for (const auto& e : page->items) out.push_back(e.username);
    }
    return out;
  };
  EXPECT_EQ(usernames("username"), names);
  EXPECT_EQ(usernames("-username"), ByteOrder(names, true));
}

}  // namespace
}  // namespace sanad::registry

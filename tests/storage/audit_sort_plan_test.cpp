// The audit log's lists sorted by user or by record type read an index, on SQLite and PostgreSQL: the
// ORDER BY that db::OrderBy builds from kAuditSorts must match an index exactly (no COALESCE, the
// collation of the index), or every page would sort the whole log.
#include <gtest/gtest.h>

#include <string>

#include "audit/audit_log.h"
#include "db/sort_order.h"
#include "registry_fixture.h"

namespace sanad::registry {
namespace {

class AuditSortPlan : public RegistryFixture {
 protected:
  // The query plan of a page of the audit log in `sort`'s order, one line per step.
  std::string Plan(std::string_view sort) {
    const std::string sql = "SELECT id, username, record_type FROM audit_log ORDER BY " +
                            db::OrderBy(db_->dialect(), audit::kAuditSorts, sort, "id", "id DESC") + " LIMIT 50";
    auto s = db_->Acquire();
    std::string plan;
    if (db_->dialect() == db::Dialect::kPostgres) {
      soci::rowset<std::string> rs = s.sql().prepare << "EXPLAIN " + sql;
      for (const auto& line : rs) plan += line + "\n";
    } else {
      soci::rowset<soci::row> rs = s.sql().prepare << "EXPLAIN QUERY PLAN " + sql;
      for (const auto& r : rs) plan += r.get<std::string>(3) + "\n";
    }
    return plan;
  }
};

TEST_F(AuditSortPlan, SortsByUserOrRecordTypeReadAnIndexInsteadOfSortingTheLog) {
  {
    // A few thousand entries, written directly: the plan, not the chain, is under test.
    auto s = db_->Acquire();
    soci::transaction tx(s.sql());
    const char* users[] = {"admin", "agent", "coord", "amina", "omar"};
    const char* types[] = {"person", "household", "user", "session"};
    for (long long i = 1; i <= 3000; ++i) {
      std::string at = "2026-01-01T00:00:" + std::to_string(10000 + i), user = users[i % 5], type = types[i % 4],
                  record = std::to_string(i);
      s.sql() << "INSERT INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, request_id, "
                 "details, prev_hash, hash) VALUES (:i, :at, NULL, :u, 'view', :t, :r, 'ip', 'r', '{}', 'p', 'h')",
          soci::use(i), soci::use(at), soci::use(user), soci::use(type), soci::use(record);
    }
    tx.commit();
    s.sql() << "ANALYZE";
  }
  for (const char* sort : {"username", "-username", "record_type", "-record_type"}) {
    const std::string plan = Plan(sort);
    EXPECT_NE(plan.find("audit_log_"), std::string::npos) << sort << " reads no index:\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sort << " sorts on SQLite:\n" << plan;
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << sort << " sorts on PostgreSQL:\n" << plan;
  }
}

}  // namespace
}  // namespace sanad::registry

#include "cases/case_store.h"

#include <fmt/format.h>

#include <map>

#include <nlohmann/json.hpp>

#include "cases/case_visibility_sql.h"
#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::cases {
namespace {

using nlohmann::json;

constexpr const char* kCaseColumns =
    "c.id, c.case_type, c.origin, c.origin_ref, c.commune_code, c.unit, c.summary, c.status, c.stage, "
    "c.stage_since, c.due_at, c.escalation_level, c.owner, c.supervisor, c.transfer_to, c.person_id, "
    "c.household_id, c.outcome, c.opened_at, c.opened_by, c.version";

CaseRecord ReadCase(const soci::row& r) {
  CaseRecord c;
  c.id = db::RowInt(r, 0);
  c.case_type = r.get<std::string>(1);
  c.origin = r.get<std::string>(2);
  c.origin_ref = db::RowOptStr(r, 3);
  c.commune_code = r.get<std::string>(4);
  c.unit = db::RowOptStr(r, 5);
  c.summary = r.get<std::string>(6);
  c.status = r.get<std::string>(7);
  c.stage = r.get<std::string>(8);
  c.stage_since = r.get<std::string>(9);
  c.due_at = db::RowOptStr(r, 10);
  c.escalation_level = db::RowInt(r, 11);
  c.owner = r.get<std::string>(12);
  c.supervisor = db::RowOptStr(r, 13);
  c.transfer_to = db::RowOptStr(r, 14);
  c.person_id = db::RowOptInt(r, 15);
  c.household_id = db::RowOptInt(r, 16);
  c.outcome = db::RowOptStr(r, 17);
  c.opened_at = r.get<std::string>(18);
  c.opened_by = r.get<std::string>(19);
  c.version = db::RowInt(r, 20);
  return c;
}

std::unexpected<Error> NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "case.not_found", {{"id", std::to_string(id)}}, "id");
}

TimePoint Parse(const std::string& ts) {
  auto t = ParseTimestamp(ts);
  return t ? *t : TimePoint{};
}

std::vector<ProtocolItem> ParseItems(const std::string& text) {
  std::vector<ProtocolItem> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& i : j) {
    if (i.is_object() && i.contains("code") && i["code"].is_string())
      out.push_back({i["code"].get<std::string>(), i.value("required", true)});
  }
  return out;
}

std::string ItemsJson(const std::vector<ProtocolItem>& items) {
  json a = json::array();
  for (const auto& i : items) a.push_back({{"code", i.code}, {"required", i.required}});
  return a.dump();
}

std::optional<CaseRecord> LoadCase(db::Session& s, std::int64_t id, const Access& who, bool lock) {
  long long cid = id;
  VisibleBinding vis(who);
  std::optional<CaseRecord> out;
  db::EachRow(
      s.sql(),
      std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = :id AND " + VisibleSql() +
          (lock && s.dialect() == db::Dialect::kPostgres ? " FOR UPDATE OF c" : ""),
      [&](soci::statement& st) {
        st.exchange(soci::use(cid));
        vis.Bind(st);
      },
      [&](const soci::row& r) { out = ReadCase(r); });
  return out;
}

void InsertEvent(db::Session& s, std::int64_t id, const std::string& at, const std::string& by, const std::string& kind,
                 const std::string& details) {
  long long cid = id;
  s.sql() << "INSERT INTO case_events (case_id, at, by_user, kind, details) VALUES (:c, :a, :b, :k, :d)",
      soci::use(cid), soci::use(at), soci::use(by), soci::use(kind), soci::use(details);
}

// Derives the case's stage from its events and current answers (case_stage.h) and stores it with its
// deadline; a new stage (or a new start of it) clears the escalation.
void Recompute(db::Session& s, std::int64_t id, const DueRules& rules) {
  long long cid = id;
  std::string type, status, opened_at, old_stage, old_since;
  s.sql() << "SELECT case_type, status, opened_at, stage, stage_since FROM cases WHERE id = :c", soci::use(cid),
      soci::into(type), soci::into(status), soci::into(opened_at), soci::into(old_stage), soci::into(old_since);
  CaseFacts f;
  f.opened_at = Parse(opened_at);
  f.closed = status == "closed";
  db::EachRow(
      s.sql(), "SELECT kind, at FROM case_events WHERE case_id = :c ORDER BY id",
      [&](soci::statement& st) { st.exchange(soci::use(cid)); },
      [&](const soci::row& r) {
        f.facts.push_back({r.get<std::string>(0), Parse(r.get<std::string>(1))});
      });
  std::string items;
  soci::indicator ind = soci::i_ok;
  s.sql() << "SELECT items FROM case_protocols WHERE case_type = :t", soci::use(type), soci::into(items, ind);
  std::map<std::string, TimePoint> answered;
  db::EachRow(
      s.sql(), "SELECT item, answered_at FROM case_answers WHERE case_id = :c",
      [&](soci::statement& st) { st.exchange(soci::use(cid)); },
      [&](const soci::row& r) { answered[r.get<std::string>(0)] = Parse(r.get<std::string>(1)); });
  if (ind != soci::i_ok) items = "[]";
  for (const auto& item : ParseItems(items)) {
    if (!item.required) continue;
    auto it = answered.find(item.code);
    f.required_answers.push_back(it == answered.end() ? std::nullopt : std::optional<TimePoint>(it->second));
  }
  const DerivedStage d = DeriveStage(f);
  const auto due = DueAt(d, rules);
  const std::string stage(StageName(d.stage));
  const std::string since = FormatTimestamp(d.since);
  std::optional<std::string> due_text = due ? std::optional<std::string>(FormatTimestamp(*due)) : std::nullopt;
  const int reset = (stage != old_stage || since != old_since) ? 1 : 0;
  s.sql() << "UPDATE cases SET stage = :s, stage_since = :si, due_at = :d, escalation_level = CASE WHEN :r = 1 THEN 0 "
             "ELSE escalation_level END, version = version + 1 WHERE id = :c",
      soci::use(stage), soci::use(since), soci::use(due_text), soci::use(reset), soci::use(cid);
}

bool ActiveUser(db::Session& s, const std::string& username) {
  int n = 0;
  s.sql() << "SELECT COUNT(*) FROM users WHERE username = :u AND active = 1", soci::use(username), soci::into(n);
  return n > 0;
}

}  // namespace

Result<std::vector<Protocol>> CaseStore::Protocols() {
  return db::Guard([&]() -> Result<std::vector<Protocol>> {
    auto s = db_.Acquire();
    std::vector<Protocol> out;
    db::EachRow(
        s.sql(), "SELECT case_type, items, version, updated_at, updated_by FROM case_protocols ORDER BY case_type",
        [](soci::statement&) {},
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), ParseItems(r.get<std::string>(1)), db::RowInt(r, 2),
                         r.get<std::string>(3), r.get<std::string>(4)});
        });
    return out;
  });
}

Result<std::optional<Protocol>> CaseStore::ProtocolOf(const std::string& case_type) {
  auto all = Protocols();
  if (!all) return std::unexpected(all.error());
  for (auto& p : *all)
    if (p.case_type == case_type) return std::optional<Protocol>(std::move(p));
  return std::optional<Protocol>();
}

Result<Protocol> CaseStore::SetProtocol(const std::string& case_type, const std::vector<ProtocolItem>& items,
                                        const std::string& now, const std::string& by) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    const std::string text = ItemsJson(items);
    s.sql() << "UPDATE case_protocols SET items = :i, version = version + 1, updated_at = :a, updated_by = :b WHERE "
               "case_type = :t",
        soci::use(text), soci::use(now), soci::use(by), soci::use(case_type);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  auto p = ProtocolOf(case_type);
  if (!p) return std::unexpected(p.error());
  if (!*p) return Failure(Code::kNotFound, "case.bad_type", {{"value", case_type}}, "case_type");
  return **p;
}

Result<std::int64_t> CaseStore::Open(const NewCase& c, const Access& who, TimePoint now) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    // The commune must lie in the caller's area (every area a write touches is checked).
    long long within = 0;
    db::AreaScope sc{who.area, who.day};
    std::string commune = c.commune_code;
    long long known = 0;
    s.sql() << "SELECT COUNT(*) FROM areas WHERE code = :c", soci::use(commune), soci::into(known);
    if (known == 0) return Failure(Code::kInvalidArgument, "case.bad_commune", {{"value", commune}}, "commune_code");
    within = db::CountRows(s.sql(),
                           "SELECT COUNT(*) FROM areas c WHERE c.code = :cc AND " + db::AreaScopeSql("c.code", "sc"),
                           [&](soci::statement& st) {
                             st.exchange(soci::use(commune));
                             sc.Bind(st);
                           });
    if (within == 0)
      return Failure(Code::kPermissionDenied, "case.outside_scope", {{"commune", commune}}, "commune_code");
    if (!ActiveUser(s, c.owner)) return Failure(Code::kNotFound, "case.no_such_user", {{"user", c.owner}}, "owner");
    if (c.supervisor && !ActiveUser(s, *c.supervisor))
      return Failure(Code::kNotFound, "case.no_such_user", {{"user", *c.supervisor}}, "supervisor");
    long long version = 1;
    s.sql() << "SELECT version FROM case_protocols WHERE case_type = :t", soci::use(c.case_type), soci::into(version);
    const std::string at = FormatTimestamp(now);
    const std::string stage(StageName(Stage::kIntake));
    long long id = 0;
    s.sql() << "INSERT INTO cases (case_type, origin, origin_ref, commune_code, unit, summary, status, stage, "
               "stage_since, owner, supervisor, protocol_version, opened_at, opened_by) VALUES (:t, :o, :r, :c, :u, "
               ":s, 'open', :st, :ss, :ow, :sv, :pv, :a, :b) RETURNING id",
        soci::use(c.case_type), soci::use(c.origin), soci::use(c.origin_ref), soci::use(commune), soci::use(c.unit),
        soci::use(c.summary), soci::use(stage), soci::use(at), soci::use(c.owner), soci::use(c.supervisor),
        soci::use(version), soci::use(at), soci::use(who.username), soci::into(id);
    json details{{"case_type", c.case_type}, {"origin", c.origin}, {"owner", c.owner}};
    if (c.origin_ref) details["origin_ref"] = *c.origin_ref;
    InsertEvent(s, id, at, who.username, "opened", details.dump());
    Recompute(s, id, rules_);
    return static_cast<std::int64_t>(id);
  });
}

Result<std::optional<CaseRecord>> CaseStore::Get(std::int64_t id, const Access& who) {
  return db::Guard([&]() -> Result<std::optional<CaseRecord>> {
    auto s = db_.Acquire();
    auto c = LoadCase(s, id, who, false);
    if (c) {
      long long cid = id;
      db::EachRow(
          s.sql(), "SELECT username FROM case_shares WHERE case_id = :c ORDER BY username",
          [&](soci::statement& st) { st.exchange(soci::use(cid)); },
          [&](const soci::row& r) { c->shared_with.push_back(r.get<std::string>(0)); });
    }
    return c;
  });
}

Result<std::optional<CaseProgress>> CaseStore::ProgressOfReport(const std::string& report_ref) {
  return db::Guard([&]() -> Result<std::optional<CaseProgress>> {
    auto s = db_.Acquire();
    std::optional<CaseProgress> out;
    db::EachRow(
        s.sql(), "SELECT id, status, stage, stage_since FROM cases WHERE origin = 'report' AND origin_ref = :r",
        [&](soci::statement& st) { st.exchange(soci::use(report_ref)); },
        [&](const soci::row& r) {
          out = CaseProgress{db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)};
        });
    return out;
  });
}

Result<std::pair<std::vector<CaseRecord>, long long>> CaseStore::List(const CaseFilter& f, const Access& who,
                                                                      TimePoint now) {
  return db::Guard([&]() -> Result<std::pair<std::vector<CaseRecord>, long long>> {
    auto s = db_.Acquire();
    VisibleBinding vis(who);
    db::AreaScope in_area{f.area, who.day};
    const std::string now_text = FormatTimestamp(now);
    const int overdue = f.overdue ? 1 : 0;
    const std::string where =
        " FROM cases c WHERE " + VisibleSql() + " AND " + db::AreaScopeSql("c.commune_code", "fa") +
        " AND (CAST(:st1 AS TEXT) IS NULL OR c.status = :st2) AND (CAST(:ty1 AS TEXT) IS NULL OR c.case_type = :ty2)"
        " AND (CAST(:un1 AS TEXT) IS NULL OR c.unit = :un2) AND (CAST(:ow1 AS TEXT) IS NULL OR c.owner = :ow2)"
        " AND (:od = 0 OR (c.status = 'open' AND c.due_at < :now))";
    auto bind = [&](soci::statement& st) {
      vis.Bind(st);
      in_area.Bind(st);
      st.exchange(soci::use(f.status));
      st.exchange(soci::use(f.status));
      st.exchange(soci::use(f.case_type));
      st.exchange(soci::use(f.case_type));
      st.exchange(soci::use(f.unit));
      st.exchange(soci::use(f.unit));
      st.exchange(soci::use(f.owner));
      st.exchange(soci::use(f.owner));
      st.exchange(soci::use(overdue));
      st.exchange(soci::use(now_text));
    };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + where, bind);
    std::vector<CaseRecord> out;
    // The most urgent first: open before closed, the earliest deadline first. Paging numbers inlined.
    db::EachRow(s.sql(),
                std::string("SELECT ") + kCaseColumns + where +
                    " ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, c.due_at, c.id LIMIT " +
                    std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset),
                bind, [&](const soci::row& r) { out.push_back(ReadCase(r)); });
    return std::pair{std::move(out), total};
  });
}

Result<std::vector<CaseEvent>> CaseStore::Events(std::int64_t id) {
  return db::Guard([&]() -> Result<std::vector<CaseEvent>> {
    auto s = db_.Acquire();
    long long cid = id;
    std::vector<CaseEvent> out;
    db::EachRow(
        s.sql(), "SELECT id, at, by_user, kind, details FROM case_events WHERE case_id = :c ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(cid)); },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                         r.get<std::string>(4)});
        });
    return out;
  });
}

Result<std::vector<CaseAnswer>> CaseStore::Answers(std::int64_t id) {
  return db::Guard([&]() -> Result<std::vector<CaseAnswer>> {
    auto s = db_.Acquire();
    long long cid = id;
    std::vector<CaseAnswer> out;
    db::EachRow(
        s.sql(),
        "SELECT item, answer, comment, answered_at, answered_by FROM case_answers WHERE case_id = :c ORDER BY item",
        [&](soci::statement& st) { st.exchange(soci::use(cid)); },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), r.get<std::string>(1), db::RowOptStr(r, 2), r.get<std::string>(3),
                         r.get<std::string>(4)});
        });
    return out;
  });
}

Result<std::vector<CaseNote>> CaseStore::Notes(std::int64_t id) {
  return db::Guard([&]() -> Result<std::vector<CaseNote>> {
    auto s = db_.Acquire();
    long long cid = id;
    std::vector<CaseNote> out;
    db::EachRow(
        s.sql(),
        "SELECT id, confidential, topic, body, sealed, written_at, written_by FROM case_notes WHERE case_id = :c "
        "ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(cid)); },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowInt(r, 1) != 0, db::RowOptStr(r, 2), db::RowOptStr(r, 3),
                         db::RowOptStr(r, 4), r.get<std::string>(5), r.get<std::string>(6)});
        });
    return out;
  });
}

namespace {

// Runs `act` on the visible, locked case in one transaction, then derives its stage again.
template <typename F>
Status Act(db::Database& db, const DueRules& rules, std::int64_t id, const Access& who, F&& act) {
  auto r = db.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto c = LoadCase(s, id, who, true);
    if (!c) return NotFound(id);
    if (auto st = act(s, *c); !st) return std::unexpected(st.error());
    Recompute(s, id, rules);
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

std::unexpected<Error> ClosedCase(std::int64_t id) {
  return Failure(Code::kFailedPrecondition, "case.closed", {{"id", std::to_string(id)}}, "id");
}

}  // namespace

Status CaseStore::Answer(std::int64_t id, const Access& who, const std::string& item, const std::string& answer,
                         const std::optional<std::string>& comment, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    std::string items;
    s.sql() << "SELECT items FROM case_protocols WHERE case_type = :t", soci::use(c.case_type), soci::into(items);
    bool known = false;
    for (const auto& i : ParseItems(items)) known = known || i.code == item;
    if (!known) return Failure(Code::kInvalidArgument, "case.bad_item", {{"value", item}}, "item");
    const std::string at = FormatTimestamp(now);
    long long cid = id;
    s.sql() << "DELETE FROM case_answers WHERE case_id = :c AND item = :i", soci::use(cid), soci::use(item);
    s.sql() << "INSERT INTO case_answers (case_id, item, answer, comment, answered_at, answered_by) VALUES (:c, :i, "
               ":a, :co, :at, :b)",
        soci::use(cid), soci::use(item), soci::use(answer), soci::use(comment), soci::use(at), soci::use(who.username);
    InsertEvent(s, id, at, who.username, "answer", json{{"item", item}, {"answer", answer}}.dump());
    return Ok();
  });
}

Status CaseStore::Record(std::int64_t id, const Access& who, const std::string& kind, const std::string& details,
                         TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    InsertEvent(s, id, FormatTimestamp(now), who.username, kind, details);
    return Ok();
  });
}

Status CaseStore::Close(std::int64_t id, const Access& who, const std::string& outcome, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    long long cid = id;
    s.sql() << "UPDATE cases SET status = 'closed', outcome = :o, transfer_to = NULL WHERE id = :c", soci::use(outcome),
        soci::use(cid);
    InsertEvent(s, id, FormatTimestamp(now), who.username, "closed", json{{"outcome", outcome}}.dump());
    return Ok();
  });
}

Status CaseStore::Reopen(std::int64_t id, const Access& who, const std::string& reason, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status != "closed")
      return Failure(Code::kFailedPrecondition, "case.not_closed", {{"id", std::to_string(id)}}, "id");
    long long cid = id;
    s.sql() << "UPDATE cases SET status = 'open', outcome = NULL WHERE id = :c", soci::use(cid);
    InsertEvent(s, id, FormatTimestamp(now), who.username, "reopened", json{{"reason", reason}}.dump());
    return Ok();
  });
}

Status CaseStore::Assign(std::int64_t id, const Access& who, const std::string& owner,
                         const std::optional<std::string>& supervisor, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    if (!ActiveUser(s, owner)) return Failure(Code::kNotFound, "case.no_such_user", {{"user", owner}}, "owner");
    if (supervisor && !ActiveUser(s, *supervisor))
      return Failure(Code::kNotFound, "case.no_such_user", {{"user", *supervisor}}, "supervisor");
    long long cid = id;
    const std::optional<std::string> sup = supervisor ? supervisor : c.supervisor;
    s.sql() << "UPDATE cases SET owner = :o, supervisor = :s, transfer_to = NULL WHERE id = :c", soci::use(owner),
        soci::use(sup), soci::use(cid);
    json d{{"owner", owner}, {"from", c.owner}};
    if (sup) d["supervisor"] = *sup;
    InsertEvent(s, id, FormatTimestamp(now), who.username, "assigned", d.dump());
    return Ok();
  });
}

Status CaseStore::Share(std::int64_t id, const Access& who, const std::string& username, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    if (!ActiveUser(s, username))
      return Failure(Code::kNotFound, "case.no_such_user", {{"user", username}}, "username");
    long long cid = id;
    long long n = 0;
    s.sql() << "SELECT COUNT(*) FROM case_shares WHERE case_id = :c AND username = :u", soci::use(cid),
        soci::use(username), soci::into(n);
    const std::string at = FormatTimestamp(now);
    if (n == 0) {
      s.sql() << "INSERT INTO case_shares (case_id, username, shared_at, shared_by) VALUES (:c, :u, :a, :b)",
          soci::use(cid), soci::use(username), soci::use(at), soci::use(who.username);
    }
    InsertEvent(s, id, at, who.username, "shared", json{{"with", username}}.dump());
    return Ok();
  });
}

Status CaseStore::RequestTransfer(std::int64_t id, const Access& who, const std::string& to, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (c.status == "closed") return ClosedCase(id);
    if (!ActiveUser(s, to)) return Failure(Code::kNotFound, "case.no_such_user", {{"user", to}}, "to");
    if (to == c.owner) return Failure(Code::kInvalidArgument, "case.transfer_to_owner", {{"user", to}}, "to");
    long long cid = id;
    s.sql() << "UPDATE cases SET transfer_to = :t WHERE id = :c", soci::use(to), soci::use(cid);
    // The receiver sees the case while the transfer waits for them.
    long long n = 0;
    s.sql() << "SELECT COUNT(*) FROM case_shares WHERE case_id = :c AND username = :u", soci::use(cid), soci::use(to),
        soci::into(n);
    const std::string at = FormatTimestamp(now);
    if (n == 0)
      s.sql() << "INSERT INTO case_shares (case_id, username, shared_at, shared_by) VALUES (:c, :u, :a, :b)",
          soci::use(cid), soci::use(to), soci::use(at), soci::use(who.username);
    InsertEvent(s, id, at, who.username, "transfer_requested", json{{"to", to}, {"from", c.owner}}.dump());
    return Ok();
  });
}

Status CaseStore::AcceptTransfer(std::int64_t id, const Access& who, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord& c) -> Status {
    if (!c.transfer_to || *c.transfer_to != who.username)
      return Failure(Code::kFailedPrecondition, "case.no_transfer", {{"id", std::to_string(id)}}, "id");
    long long cid = id;
    s.sql() << "UPDATE cases SET owner = :o, transfer_to = NULL WHERE id = :c", soci::use(who.username), soci::use(cid);
    s.sql() << "DELETE FROM case_shares WHERE case_id = :c AND username = :u", soci::use(cid), soci::use(who.username);
    InsertEvent(s, id, FormatTimestamp(now), who.username, "transferred",
                json{{"from", c.owner}, {"to", who.username}}.dump());
    return Ok();
  });
}

Status CaseStore::Link(std::int64_t id, const Access& who, std::optional<std::int64_t> person_id,
                       std::optional<std::int64_t> household_id, TimePoint now) {
  return Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord&) -> Status {
    long long cid = id;
    std::optional<long long> p, h;
    if (person_id) p = *person_id;
    if (household_id) h = *household_id;
    s.sql() << "UPDATE cases SET person_id = :p, household_id = :h WHERE id = :c", soci::use(p), soci::use(h),
        soci::use(cid);
    json d = json::object();
    if (person_id) d["person_id"] = *person_id;
    if (household_id) d["household_id"] = *household_id;
    InsertEvent(s, id, FormatTimestamp(now), who.username, "linked", d.dump());
    return Ok();
  });
}

Result<std::int64_t> CaseStore::AddNote(std::int64_t id, const Access& who, bool confidential,
                                        const std::optional<std::string>& topic, const std::optional<std::string>& body,
                                        const std::optional<std::string>& sealed, TimePoint now) {
  std::int64_t note_id = 0;
  auto st = Act(db_, rules_, id, who, [&](db::Session& s, const CaseRecord&) -> Status {
    long long cid = id;
    int conf = confidential ? 1 : 0;
    const std::string at = FormatTimestamp(now);
    long long nid = 0;
    s.sql() << "INSERT INTO case_notes (case_id, confidential, topic, body, sealed, written_at, written_by) VALUES "
               "(:c, :f, :t, :b, :s, :a, :w) RETURNING id",
        soci::use(cid), soci::use(conf), soci::use(topic), soci::use(body), soci::use(sealed), soci::use(at),
        soci::use(who.username), soci::into(nid);
    note_id = nid;
    json d{{"note_id", nid}, {"confidential", confidential}};
    if (topic) d["topic"] = *topic;
    InsertEvent(s, id, at, who.username, "note", d.dump());
    return Ok();
  });
  if (!st) return std::unexpected(st.error());
  return note_id;
}

Result<std::int64_t> CaseStore::Escalate(TimePoint now, const std::function<Status(db::Session&)>& fence) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    if (fence) {
      if (auto st = fence(s); !st) return std::unexpected(st.error());
    }
    const std::string now_text = FormatTimestamp(now);
    struct Due {
      long long id;
      std::string due;
      long long level;
      std::optional<std::string> supervisor;
    };
    std::vector<Due> due;
    db::EachRow(
        s.sql(),
        "SELECT id, due_at, escalation_level, supervisor FROM cases WHERE status = 'open' AND due_at < :n "
        "AND escalation_level < 2 ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(now_text)); },
        [&](const soci::row& r) {
          due.push_back({db::RowInt(r, 0), r.get<std::string>(1), db::RowInt(r, 2), db::RowOptStr(r, 3)});
        });
    std::int64_t raised = 0;
    for (const auto& d : due) {
      const int level = EscalationLevel(Parse(d.due), now, rules_);
      if (level <= d.level) continue;
      long long lv = level;
      long long cid = d.id;
      s.sql() << "UPDATE cases SET escalation_level = :l WHERE id = :c", soci::use(lv), soci::use(cid);
      json details{{"level", level}, {"due_at", d.due}};
      if (level == 1) {
        details["to"] = "supervisor";
        if (d.supervisor) details["supervisor"] = *d.supervisor;
      } else {
        details["to"] = "regional_coordinator";
      }
      InsertEvent(s, d.id, now_text, "system", "escalated", details.dump());
      ++raised;
    }
    return raised;
  });
}

}  // namespace sanad::cases

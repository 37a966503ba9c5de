// What a client may learn when something goes wrong, and what bad input gets, on SQLite and on
// PostgreSQL (SANAD_TEST_DB selects): internal errors answer a fixed message and the request id while
// the SQL, bound values and exception text go to the log; database errors are classified by the
// engine's code; every JSON route refuses overflowing numbers, duplicate keys and wrong types with a
// 400 that names the field; bodies and headers over their limits get 413/431 with a JSON body; an
// import file that is not UTF-8 gets its 422 report; an XLSX file never makes the server allocate what
// its ZIP directory claims; exports are streamed and neutralise spreadsheet formulas. The errors in the
// client's language are in errors_language_test.cpp; the fixture in errors_fixture.h.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <fstream>
#include <set>
#include <sstream>

#include "errors_fixture.h"
#include "registry/exporter.h"
#include "registry/importer.h"
#include "zip_builder.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

// The body of a chunked transfer (the test client reads raw bytes to the end of the connection).
std::string DecodeChunked(const std::string& raw) {
  std::string out;
  std::size_t p = 0;
  while (p < raw.size()) {
    std::size_t eol = raw.find("\r\n", p);
    if (eol == std::string::npos) break;
    const std::size_t n = std::stoul(raw.substr(p, eol - p), nullptr, 16);
    if (n == 0) return out;
    out += raw.substr(eol + 2, n);
    p = eol + 2 + n + 2;
  }
  return out + "\n<unterminated chunked body>";
}

long PeakRssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return 0;
}

// ---- 1. internal errors ------------------------------------------------------------------------

TEST_F(Errors, InternalErrorsAnswerAFixedMessageAndTheRequestIdWhileTheLogKeepsTheDetails) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  spdlog::set_default_logger(capture);
  auto c = server_->Client();
  auto db_failure = c.Get("/api/v1/test/db-failure");
  auto thrown = c.Get("/api/v1/test/throws");
  spdlog::set_default_logger(previous);

  for (const auto* r : {&db_failure, &thrown}) {
    EXPECT_EQ(r->status, 500) << r->body;
    const Json j = r->Json();
    ASSERT_TRUE(j.contains("error")) << r->body;
    const std::string id = r->Header("x-request-id").value_or("?");
    EXPECT_EQ(j["error"]["code"], "internal");
    EXPECT_EQ(j["error"]["message"], "Server error; quote request id " + id + ".");
    EXPECT_EQ(j["error"]["reason"], "error.internal");
    EXPECT_EQ(j["error"]["request_id"], id);
    for (const char* secret : {"SELECT", "REF-SECRET-42", "no_such_column", "Benali", "AB123456", "database"}) {
      EXPECT_EQ(r->body.find(secret), std::string::npos) << secret << " reached the client: " << r->body;
    }
    EXPECT_NE(log.str().find(id), std::string::npos) << "the log line carries the request id";
  }
  EXPECT_NE(log.str().find("REF-SECRET-42"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("AB123456"), std::string::npos) << log.str();
}

TEST_F(Errors, DatabaseErrorsAreClassifiedByTheEnginesCode) {
  auto opened = db::Database::Open(FreshDatabaseUrl(BackendFromEnv()), 2);
  ASSERT_TRUE(opened) << opened.error().message;
  db::Database& database = **opened;
  auto run = [&](const std::string& sql) -> Status {
    return db::Guard([&]() -> Status {
      auto s = database.Acquire();
      s.sql() << sql;
      return Ok();
    });
  };
  ASSERT_TRUE(run("CREATE TABLE parent_t (id INTEGER PRIMARY KEY)"));
  ASSERT_TRUE(
      run("CREATE TABLE t (id INTEGER PRIMARY KEY, code VARCHAR(20) UNIQUE, parent INTEGER REFERENCES parent_t(id))"));
  ASSERT_TRUE(run("INSERT INTO t (id, code) VALUES (1, 'X-1')"));

  auto unique = run("INSERT INTO t (id, code) VALUES (2, 'X-1')");
  ASSERT_FALSE(unique);
  EXPECT_EQ(unique.error().code, Code::kAlreadyExists) << unique.error().message;
  EXPECT_EQ(unique.error().field, "code");
  EXPECT_EQ(unique.error().message.find("X-1"), std::string::npos) << "no bound value in a classified error";

  auto primary = run("INSERT INTO t (id, code) VALUES (1, 'X-2')");
  ASSERT_FALSE(primary);
  EXPECT_EQ(primary.error().code, Code::kAlreadyExists) << primary.error().message;

  auto foreign = run("INSERT INTO t (id, code, parent) VALUES (3, 'X-3', 999)");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kFailedPrecondition) << foreign.error().message;

  auto syntax = run("SELEC nothing");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, Code::kInternal);
  EXPECT_NE(syntax.error().message.find("SELEC"), std::string::npos) << "the log gets the statement";

  // A lock held by another connection: SQLITE_BUSY / PostgreSQL 55P03 → unavailable, retry later.
  {
    auto holder = database.Acquire();
    auto waiter = database.Acquire();
    Status busy = Ok();
    if (database.dialect() == db::Dialect::kSqlite) {
      holder.sql() << "BEGIN IMMEDIATE";
      waiter.sql() << "PRAGMA busy_timeout=0";
      busy = db::Guard([&]() -> Status {
        waiter.sql() << "BEGIN IMMEDIATE";
        return Ok();
      });
      waiter.sql() << "PRAGMA busy_timeout=10000";
    } else {
      holder.sql() << "BEGIN";
      holder.sql() << "LOCK TABLE t IN ACCESS EXCLUSIVE MODE";
      busy = db::Guard([&]() -> Status {
        waiter.sql() << "SET lock_timeout = '50ms'";
        waiter.sql() << "BEGIN";
        waiter.sql() << "SELECT COUNT(*) FROM t";
        return Ok();
      });
      try {
        waiter.sql() << "ROLLBACK";
      } catch (const std::exception&) {
      }
    }
    holder.sql() << "ROLLBACK";
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, Code::kUnavailable) << busy.error().message;
    EXPECT_GT(busy.error().retry_after_seconds, 0);
    auto resp = http::ErrorResponse(busy.error());
    EXPECT_EQ(resp.status, 503);
    bool retry_after = false;
    for (const auto& [k, v] : resp.headers) retry_after |= k == "Retry-After";
    EXPECT_TRUE(retry_after);
  }
}

// ---- 2. JSON input -----------------------------------------------------------------------------

TEST_F(Errors, EveryJsonRouteRefusesOverflowDuplicateKeysAndWrongTypesNamingTheField) {
  auto c = server_->Client();
  struct Case {
    std::string route;
    std::string body;
    std::string field;
  };
  const std::vector<std::string> routes = {"/api/v1/auth/login",
                                           "/api/v1/auth/token",
                                           "/api/v1/users",
                                           "/api/v1/change-requests",
                                           "/api/v1/change-requests/1/approve",
                                           "/api/v1/change-requests/1/reject",
                                           "/api/v1/benefits",
                                           "/dci/registry/sync/search"};
  std::vector<Case> cases;
  for (const auto& r : routes) {
    cases.push_back({r, R"({"comment": 1e999})", "/comment"});
    cases.push_back({r, R"({"comment": -1e999})", "/comment"});
    cases.push_back({r, R"({"payload": {"members": [1, 2e400]}})", "/payload/members/1"});
    cases.push_back({r, R"({"username": "a", "username": "b"})", "/username"});
    cases.push_back({r, R"({"header": {"a": 1, "a": 1}})", "/header/a"});
    cases.push_back({r, "{\"comment\": \"a\\u0000b\"}", "/comment"});
  }
  // Wrong types of declared fields.
  cases.push_back({"/api/v1/auth/login", R"({"username": ["admin"], "password": "0123456789"})", "username"});
  cases.push_back(
      {"/api/v1/users", R"({"username": "u.x", "password": "a-long-password", "roles": "admin"})", "roles"});
  cases.push_back({"/api/v1/change-requests", R"({"kind": 7, "payload": {}})", "kind"});
  cases.push_back({"/api/v1/change-requests", R"({"kind": "create_household", "payload": "x"})", "payload"});
  cases.push_back(
      {"/api/v1/change-requests/1/approve", R"({"acknowledge_conflicts": "yes"})", "acknowledge_conflicts"});
  cases.push_back({"/api/v1/change-requests/1/reject", R"({"comment": {"a": 1}})", "comment"});
  cases.push_back({"/api/v1/benefits",
                   R"({"person_id": "1", "programme": "p", "kind": "cash", "date": "2026-01-01", "reference": "r"})",
                   "person_id"});
  cases.push_back(
      {"/api/v1/benefits",
       R"({"person_id": 18446744073709551615, "programme": "p", "kind": "cash", "date": "2026-01-01", "reference": "r"})",
       "person_id"});
  cases.push_back(
      {"/api/v1/benefits",
       R"({"person_id": 1, "quantity": "2", "programme": "p", "kind": "in_kind", "date": "2026-01-01", "reference": "r"})",
       "quantity"});
  int checked = 0;
  for (bool authenticated : {true, false}) {
    for (const auto& k : cases) {
      SCOPED_TRACE(k.route + " " + k.body + (authenticated ? " (admin)" : " (anonymous)"));
      auto r = c.PostJson(k.route, k.body, authenticated ? Bearer(*admin_) : Headers{});
      ASSERT_NE(r.status, 0);
      EXPECT_LT(r.status, 500) << r.body;
      const bool public_route = k.route.starts_with("/api/v1/auth/");
      if (!authenticated && !public_route) {
        EXPECT_EQ(r.status, 401) << r.body;
        continue;
      }
      EXPECT_EQ(r.status, 400) << r.body;
      EXPECT_EQ(r.Json()["error"].value("field", ""), k.field) << r.body;
      ++checked;
    }
  }
  std::cout << "[ json ] " << checked << " refusals checked\n";
  EXPECT_EQ(CountRequests(c.Get("/metrics").body, "5", "/api/v1/benefits"), 0);
}

TEST_F(Errors, ABenefitReferenceWithANulCharacterIsRefusedNotAnInternalError) {
  auto c = server_->Client();
  auto r = c.PostJson("/api/v1/benefits",
                      R"({"person_id": 1, "programme": "tayssir", "kind": "cash", "date": "2026-01-01",
                          "amount_minor": 100, "currency": "MAD", "reference": "REF-\u0000-1"})",
                      Bearer(*admin_));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "/reference");
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
}

// ---- 4. limits ---------------------------------------------------------------------------------

TEST_F(Errors, BodiesOverTheLimitGet413AndOversizedHeaders431WithAJsonBody) {
  HttpClient quick(server_->port(), std::chrono::seconds(5));
  auto parse = [](const std::string& raw) { return ParseResponse(raw, true).value_or(HttpResponse{}); };
  // Above every route's limit (the import routes take 200 MiB): refused from the header alone.
  auto huge =
      parse(quick.SendRaw("POST /api/v1/imports/persons HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                          "Content-Length: 314572800\r\n\r\nrecord_id"));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(huge.Json()["error"]["code"], "payload_too_large");
  EXPECT_EQ(huge.Json()["error"]["field"], "body");
  EXPECT_NE(huge.Json()["error"].value("message", "").find("209715200"), std::string::npos) << huge.body;
  // Over a JSON route's own limit: the pipeline names that limit.
  auto c = server_->Client();
  auto login = c.PostJson("/api/v1/auth/login", std::string(5000, ' '));
  EXPECT_EQ(login.status, 413);
  EXPECT_EQ(login.Json()["error"]["field"], "body");
  // Headers.
  auto big_header =
      parse(quick.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"));
  EXPECT_EQ(big_header.status, 431);
  EXPECT_EQ(big_header.Json()["error"]["field"], "headers");
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 300; ++i) many += fmt::format("X-H{}: {}\r\n", i, i);
  EXPECT_EQ(parse(quick.SendRaw(many + "\r\n")).status, 431);
  EXPECT_EQ(parse(quick.SendRaw("GET /" + std::string(20000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n")).status, 414);
  EXPECT_EQ(c.Get("/healthz").status, 200);
}

TEST_F(Errors, PagingAndNameSearchDepthAreBoundedBeforeAnyWork) {
  auto c = server_->Client();
  for (const char* target :
       {"/api/v1/persons?q=Mohamed&offset=9999999", "/api/v1/persons?q=Mohamed&offset=9950&limit=100"}) {
    auto r = c.Get(target, Bearer(*admin_));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.Json()["error"]["field"], "offset");
  }
  for (const char* target :
       {"/api/v1/persons?limit=100000", "/api/v1/audit?limit=1000000", "/api/v1/households?offset=-5"}) {
    auto r = c.Get(target, Bearer(*admin_));
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
  }
}

// ---- 3. imports --------------------------------------------------------------------------------

TEST_F(Errors, AnImportFileThatIsNotUtf8GetsItsReportLikeTheCli) {
  auto c = server_->Client();
  const std::string csv =
      "record_id,household_ref,relationship,given_name_lat,sex,birth_date\n"
      "R1,H-NOPE,head,Ah\xff\xfemed,M,1980-01-01\n";
  auto r = c.Request("POST", "/api/v1/imports/persons?file_name=bad.csv", csv,
                     {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + *agent_}});
  ASSERT_EQ(r.status, 422) << r.body;
  const Json j = r.Json();
  ASSERT_TRUE(j.contains("report")) << r.body;
  bool utf8_reason = false;
  for (const auto& e : j["report"]["errors"])
    utf8_reason |=
        e["reason"] == "value.not_utf8" && e["message"].get<std::string>().find("UTF-8") != std::string::npos;
  EXPECT_TRUE(utf8_reason) << r.body;
  auto report = c.Get(j["report"]["download"].get<std::string>(), Bearer(*agent_));
  EXPECT_EQ(report.status, 200) << report.body;
  // A header that is not UTF-8 is quoted in a warning, still as valid JSON.
  auto header = c.Request("POST", "/api/v1/imports/persons", "record_id,\xc0\xaf\nR1\n",
                          {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + *agent_}});
  EXPECT_EQ(header.status, 422) << header.body;
  EXPECT_FALSE(Json::parse(header.body, nullptr, false).is_discarded());
}

TEST_F(Errors, TheImportTemplateHoldsTheImportColumnsAndAnExampleRowThatImports) {
  auto c = server_->Client();
  for (auto kind : {registry::ImportKind::kHouseholds, registry::ImportKind::kPersons,
                    registry::ImportKind::kHouseholdsWithMembers}) {
    std::vector<std::string> names;
    for (const auto& col : registry::ImportColumns(kind)) names.emplace_back(col.name);
    for (const std::string format : {"csv", "xlsx"}) {
      const std::string level(registry::ImportKindName(kind));
      auto r = c.Get(std::string("/api/v1/imports/template?level=").append(level).append("&format=").append(format),
                     Bearer(*agent_));
      ASSERT_EQ(r.status, 200) << level << " " << format << ": " << r.body.substr(0, 300);
      EXPECT_NE(r.Header("content-disposition")
                    .value_or("")
                    .find(std::string("sanad-import-").append(level).append(".").append(format)),
                std::string::npos);
      auto rows = registry::ReadSpreadsheet(
          r.body, format == "xlsx" ? registry::FileFormat::kXlsx : registry::FileFormat::kCsv);
      ASSERT_TRUE(rows) << rows.error().message;
      ASSERT_EQ(rows->size(), 2u) << "the header and one example row";
      EXPECT_EQ((*rows)[0], names);
      const auto at = std::find(names.begin(), names.end(), "household_ref") - names.begin();
      EXPECT_EQ((*rows)[1][at], "MEN-2025-0001");
    }
  }
  EXPECT_EQ(c.Get("/api/v1/imports/template?level=persons&format=csv").status, 401);
  EXPECT_EQ(c.Get("/api/v1/imports/template?level=members&format=csv", Bearer(*agent_)).status, 400);
  EXPECT_EQ(c.Get("/api/v1/imports/template?format=csv", Bearer(*agent_)).status, 400);

  // The examples are valid: the households template imports, and once approved the persons template too.
  const Headers csv{{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + *agent_}};
  for (const char* level : {"households", "persons"}) {
    auto t = c.Get(std::string("/api/v1/imports/template?format=csv&level=") + level, Bearer(*agent_));
    auto filed = c.Request("POST", std::string("/api/v1/imports/") + level, t.body, csv);
    ASSERT_EQ(filed.status, 201) << level << ": " << filed.body;
    const auto id = filed.Json()["change_request"]["id"].get<std::int64_t>();
    auto approved = c.PostJson(fmt::format("/api/v1/change-requests/{}/approve", id), "{}", Bearer(*coord_));
    ASSERT_EQ(approved.status, 200) << approved.body;
  }
}

TEST_F(Errors, AnXlsxFileNeverMakesTheServerAllocateWhatItsZipDirectoryClaims) {
  auto c = server_->Client();
  const Headers h{{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                  {"Authorization", "Bearer " + *agent_}};
  const long before = PeakRssKib();
  // A tiny file whose directory declares a 4 GiB workbook part.
  const std::string liar = MakeZip({{"xl/workbook.xml", "<workbook/>", 0xFFFFFFF0u}});
  EXPECT_LT(liar.size(), 300u);
  auto r = c.Request("POST", "/api/v1/imports/persons", liar, h);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.Json()["report"]["errors"][0]["reason"], "xlsx.size_differs") << r.body;
  EXPECT_EQ(r.Json()["error"]["reason"], "import.rejected_file") << r.body;
  // A zip bomb: 300 MiB of spaces deflate to about 300 KB.
  const std::string bomb =
      MakeZip({{"xl/workbook.xml", R"(<workbook><sheets><sheet r:id="rId1"/></sheets></workbook>)"},
               {"xl/worksheets/sheet1.xml", "<worksheet><sheetData>", {}, 300u << 20, "</sheetData></worksheet>"}});
  EXPECT_LT(bomb.size(), 1u << 20);
  auto b = c.Request("POST", "/api/v1/imports/persons", bomb, h);
  EXPECT_EQ(b.status, 422) << b.body;
  EXPECT_EQ(b.Json()["report"]["errors"][0]["reason"], "xlsx.too_large") << b.body;
  EXPECT_NE(b.body.find("expands beyond"), std::string::npos) << b.body;
  // The server (in this process) stopped inflating long before the declared or the real size.
  const long grown_mib = (PeakRssKib() - before) / 1024;
  std::cout << "[ xlsx ] peak RSS grew by " << grown_mib << " MiB\n";
  EXPECT_LT(grown_mib, 128);
}

// ---- 5. exports --------------------------------------------------------------------------------

TEST_F(Errors, ExportsAreStreamedAndNeutraliseSpreadsheetFormulas) {
  AddHousehold(Json::array({{{"relationship", "head"},
                             {"given_name_lat", "=HYPERLINK(\"http://x\",\"y\")"},
                             {"family_name_lat", "@SUM(A1)"},
                             {"sex", "M"},
                             {"birth_date", "1970-01-01"},
                             {"phone", "0612345678"}}}));
  auto c = server_->Client();
  auto r = c.Get("/api/v1/exports/persons?format=csv&area=MA-03.231", Bearer(*coord_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_FALSE(r.Header("content-length"));
  const std::string csv = DecodeChunked(r.body);
  EXPECT_TRUE(csv.starts_with("record_id,household_ref,commune_code,")) << csv.substr(0, 200);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'@SUM(A1),"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",+212612345678,"), std::string::npos) << "a phone number is a number, not a formula: " << csv;
  EXPECT_EQ(csv.find("unterminated"), std::string::npos);

  auto x = c.Get("/api/v1/exports/persons?format=xlsx&area=MA-03.231", Bearer(*coord_));
  ASSERT_EQ(x.status, 200);
  const std::string xlsx = DecodeChunked(x.body);
  auto rows = registry::ReadSpreadsheet(xlsx, registry::FileFormat::kXlsx);
  ASSERT_TRUE(rows) << rows.error().message;
  bool formula_text = false;
  for (const auto& row : *rows) {
    for (const auto& cell : row) formula_text |= cell == "=HYPERLINK(\"http://x\",\"y\")";
  }
  EXPECT_TRUE(formula_text) << "the XLSX cell is the string itself, not a formula";
}

TEST(CsvInjection, CellsASpreadsheetWouldRunAreQuotedAndReadBackUnchanged) {
  for (const char* formula :
       {"=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tx", "\rx", "=", "+", "-", "-1e5"}) {
    EXPECT_EQ(registry::NeutraliseFormula(formula), std::string("'") + formula) << formula;
  }
  for (const char* plain : {"", "Ahmed", "+212612345678", "-12", "-12.50", "1=1", "a@b.ma", "'quoted"}) {
    EXPECT_EQ(registry::NeutraliseFormula(plain), plain) << plain;
  }
  registry::ExportTable t;
  t.header = {"record_id", "given_name_lat"};
  t.types = {registry::FieldType::kText, registry::FieldType::kText};
  t.rows = {{"P1", "=1+1"}, {"P2", "Ahmed"}, {"P3", "@x"}};
  const std::string csv = registry::ToCsv(t);
  EXPECT_EQ(csv, "record_id,given_name_lat\nP1,'=1+1\nP2,Ahmed\nP3,'@x\n");
  auto back = registry::ReadSpreadsheet(csv, registry::FileFormat::kCsv);
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)[1][1], "=1+1");
  EXPECT_EQ((*back)[3][1], "@x");
  auto xlsx = registry::ToXlsx(t);
  ASSERT_TRUE(xlsx);
  auto from_xlsx = registry::ReadSpreadsheet(*xlsx, registry::FileFormat::kXlsx);
  ASSERT_TRUE(from_xlsx);
  EXPECT_EQ((*from_xlsx)[1][1], "=1+1") << "a string cell, not a formula (whose value would read back as 0)";
}

}  // namespace
}  // namespace sanad::testing

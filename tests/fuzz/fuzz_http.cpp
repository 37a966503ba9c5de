// A bounded mutational fuzzer for everything that reads untrusted input: every JSON route (with a valid
// bearer token and without), the DCI envelope, the import routes, and the CSV and XLSX readers called
// directly. Seeds are valid documents; each round mutates one structurally (a JSON value replaced by a
// hostile one of another type, a key duplicated, nesting deepened) or byte-wise (flips, insertions,
// truncation), sends it to the real server in-process over TCP, and counts the answers. Any 5xx, a
// response that is not JSON on a JSON route, or a crash (the process dies) is a failure.
//
//   fuzz_http --seconds 600 [--seed 1]     # exit 1 when any 5xx was answered
//
// Deterministic for a seed and a number of rounds; bounded in time; sends only to 127.0.0.1.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <random>

#include "registry/exporter.h"
#include "registry/importer.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

struct Target {
  std::string route;  // with ids already in place
  Json seed;
};

std::vector<Target> JsonTargets() {
  const Json dci = Json::parse(R"({"signature":"","header":{"version":"1.0.0","message_id":"m-1",
      "message_ts":"2026-01-01T00:00:00Z","action":"search","sender_id":"cnss","receiver_id":"sanad","total_count":2,
      "is_msg_encrypted":false},"message":{"transaction_id":"t-1","search_request":[
      {"reference_id":"r-1","timestamp":"2026-01-01T00:00:00Z","locale":"eng","search_criteria":{"reg_type":"ns:org:RegistryType:Social",
       "reg_record_type":"Person","query_type":"idtype-value","query":{"type":"phone","value":"0612345678"},
       "pagination":{"page_size":10,"page_number":1}}},
      {"reference_id":"r-2","search_criteria":{"reg_type":"social","query_type":"predicate","query":[
       {"expression1":{"attribute_name":"name","operator":"eq","attribute_value":"Mohamed"},"condition":"and",
        "expression2":{"attribute_name":"area","operator":"eq","attribute_value":"MA-03"}}]}}]}})");
  const Json household =
      Json::parse(R"({"kind":"create_household","payload":{"household":{"commune_code":"MA-03.231.01.03",
      "urban":true,"address":"12 Derb"},"members":[{"relationship":"head","given_name_ar":"محمد","family_name_ar":"بن علي",
      "given_name_lat":"Mohamed","sex":"M","birth_date":"1970-03-02","national_id":"AB123456","phone":"0612345678"}]}})");
  return {
      {"/api/v1/auth/login", {{"username", "admin"}, {"password", "0123456789"}}},
      {"/api/v1/auth/token", {{"username", "admin"}, {"password", "0123456789"}}},
      {"/api/v1/users",
       {{"username", "fuzz.user"}, {"password", "a-long-password"}, {"roles", {"auditor"}}, {"area_code", "MA-03"}}},
      {"/api/v1/change-requests", household},
      {"/api/v1/change-requests",
       {{"kind", "update_person"}, {"payload", {{"person_id", 1}, {"values", {{"phone", "0612345678"}}}}}}},
      {"/api/v1/change-requests/1/approve", {{"comment", "ok"}, {"acknowledge_conflicts", false}}},
      {"/api/v1/change-requests/1/reject", {{"comment", "no"}}},
      {"/api/v1/benefits",
       {{"person_id", 1},
        {"programme", "tayssir"},
        {"kind", "cash"},
        {"date", "2026-01-01"},
        {"amount_minor", 10000},
        {"currency", "MAD"},
        {"reference", "REF-1"}}},
      {"/api/v1/benefits",
       {{"household_id", 1},
        {"programme", "food"},
        {"kind", "in_kind"},
        {"date", "2026-01-01"},
        {"quantity", 2.5},
        {"unit", "kg"},
        {"reference", "REF-2"}}},
      {"/api/v1/linkage/jobs", Json::object()},
      {"/api/v1/linkage/jobs/1/cancel", Json::object()},
      {"/api/v1/linkage/candidates/1/confirm", {{"keep", 1}, {"comment", "same person"}}},
      {"/api/v1/linkage/candidates/1/reject", {{"comment", "different"}}},
      {"/api/v1/linkage/external-lists", {{"name", "list"}, {"records", Json::array({{{"given_name_lat", "Ali"}}})}}},
      {"/dci/registry/sync/search", dci},
  };
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t Below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }

  Json HostileValue() {
    static const std::vector<std::string> raw = {"1e999",
                                                 "-1e999",
                                                 "1e308",
                                                 "-0",
                                                 "0.0000001",
                                                 "18446744073709551616",
                                                 "9223372036854775808",
                                                 "-9223372036854775809",
                                                 "123456789012345678901234567890",
                                                 "1.5",
                                                 "true",
                                                 "false",
                                                 "null",
                                                 "[]",
                                                 "{}",
                                                 R"("")",
                                                 R"("\u0000")",
                                                 R"("\ud800")",
                                                 R"("=cmd|' /C calc'!A0")",
                                                 R"("' OR 1=1 --")",
                                                 R"("%s%n%x")",
                                                 R"("ـــ")",
                                                 R"("محمد")",
                                                 R"(["a",1,null])",
                                                 R"({"a":{"b":{"c":[1,2,3]}}})"};
    const std::string& pick = raw[Below(raw.size())];
    if (pick.starts_with("1e9") || pick.starts_with("-1e9") || pick == "18446744073709551616" ||
        pick == "-9223372036854775809" || pick.starts_with("12345678901234567890")) {
      return Json::object({{"__raw__", pick}});  // spliced as text: the DOM cannot hold it
    }
    auto j = Json::parse(pick, nullptr, false);
    if (Chance(10)) return std::string(Below(5000), 'x');
    return j.is_discarded() ? Json(pick) : j;
  }

  // A random value somewhere in `doc` replaced, removed or duplicated.
  void MutateTree(Json& doc) {
    std::vector<Json*> nodes;
    std::function<void(Json&)> walk = [&](Json& j) {
      nodes.push_back(&j);
      if (j.is_object()) {
        for (auto& [k, v] : j.items()) walk(v);
      } else if (j.is_array()) {
        for (auto& v : j) walk(v);
      }
    };
    walk(doc);
    Json& n = *nodes[Below(nodes.size())];
    switch (Below(4)) {
      case 0:
        n = HostileValue();
        break;
      case 1:
        if (n.is_object() && !n.empty())
          n.erase(n.begin());
        else
          n = HostileValue();
        break;
      case 2:
        if (n.is_object())
          n["unexpected_" + std::to_string(Below(3))] = HostileValue();
        else if (n.is_array())
          n.push_back(HostileValue());
        else
          n = Json::array({n});
        break;
      default:
        n = Json::object({{"nested", n}});
    }
  }

  std::string Serialize(const Json& doc) {
    std::string text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
    // Splice raw numbers the DOM cannot represent.
    const std::string marker = R"({"__raw__":")";
    for (std::size_t from = 0, p; (p = text.find(marker, from)) != std::string::npos;) {
      const std::size_t end = text.find("\"}", p + marker.size());
      if (end == std::string::npos) break;
      const std::string raw = text.substr(p + marker.size(), end - (p + marker.size()));
      text = text.substr(0, p) + raw + text.substr(end + 2);
      from = p + raw.size();
    }
    return text;
  }

  std::string MutateBytes(std::string s) {
    const int rounds = 1 + static_cast<int>(Below(8));
    for (int i = 0; i < rounds; ++i) {
      switch (Below(7)) {
        case 0:
          if (!s.empty()) s[Below(s.size())] ^= static_cast<char>(1 << Below(8));
          break;
        case 1:
          if (!s.empty()) s.erase(Below(s.size()), 1 + Below(16));
          break;
        case 2: {
          static const char* tokens[] = {"{",  "}",       "[",     "]",    ",",        ":",        "\"",
                                         "\\", "\\u0000", "1e999", "\xff", "\xc0\xaf", "\"a\":1,", "NaN",
                                         "\n", "\r\n",    "'",     "=",    "\x00"};
          s.insert(std::min(s.size(), Below(s.size() + 1)), tokens[Below(std::size(tokens))]);
          break;
        }
        case 3:
          s.resize(Below(s.size() + 1));
          break;
        case 4: {
          // Duplicate a key: the first "x": becomes "x":<v>,"x":
          auto q = s.find("\":");
          if (q != std::string::npos) {
            auto k = s.rfind('"', q - 1);
            if (k != std::string::npos) s.insert(k, s.substr(k, q - k + 2) + "0,");
          }
          break;
        }
        case 5:
          s = std::string(1 + Below(200), '[') + s;
          break;
        default:
          if (!s.empty()) {
            const std::size_t a = Below(s.size());
            s.insert(Below(s.size()), s.substr(a, Below(64)));
          }
      }
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

std::string CsvSeed() {
  return "record_id,household_ref,relationship,given_name_ar,family_name_ar,given_name_lat,sex,birth_date,phone,"
         "national_id\n"
         "R1,H1,head,محمد,بن علي,Mohamed,M,1970-03-02,0612345678,AB123456\n"
         "R2,H1,spouse,فاطمة,العلوي,\"Fatima, \"\"Fati\"\"\",F,1975,+212612345679,\n";
}

std::string XlsxSeed() {
  registry::ExportTable t;
  t.header = {"record_id", "household_ref", "relationship",      "given_name_lat",
              "sex",       "birth_date",    "disability_percent"};
  t.types = {registry::FieldType::kText, registry::FieldType::kText, registry::FieldType::kEnum,
             registry::FieldType::kText, registry::FieldType::kEnum, registry::FieldType::kBirthDate,
             registry::FieldType::kInt};
  t.rows = {{"R1", "H1", "head", "Mohamed", "M", "1970-03-02", "10"},
            {"R2", "H1", "spouse", "=1+1", "F", "1975", std::nullopt}};
  return *registry::ToXlsx(t);
}

int Run(int seconds, std::uint64_t seed) {
  TestServer server;
  auto c = server.Client();
  const std::string admin = *BearerToken(c, "admin", server.AddUser("admin", {auth::Role::kAdmin}));
  const std::string partner = *BearerToken(c, "cnss", server.AddUser("cnss", {auth::Role::kPartnerSystem}));
  const auto targets = JsonTargets();
  const std::string csv = CsvSeed(), xlsx = XlsxSeed();
  Mutator m(seed);
  std::map<int, long> statuses;
  long requests = 0, readers = 0, failures = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  auto fail = [&](const std::string& what, const std::string& input, const HttpResponse& r) {
    if (++failures <= 20) {
      std::cerr << "FAIL " << what << " → " << r.status << "\n  input: " << input.substr(0, 300)
                << "\n  answer: " << r.body.substr(0, 300) << "\n";
    }
  };
  while (std::chrono::steady_clock::now() < deadline) {
    const std::size_t kind = m.Below(10);
    if (kind < 7) {
      const Target& t = targets[m.Below(targets.size())];
      Json doc = t.seed;
      std::string body;
      if (m.Chance(60)) {
        for (int i = 0, n = 1 + static_cast<int>(m.Below(3)); i < n; ++i) m.MutateTree(doc);
        body = m.Serialize(doc);
      } else {
        body = m.MutateBytes(m.Serialize(doc));
      }
      Headers h;
      if (m.Chance(75)) h = Bearer(t.route.starts_with("/dci/") && m.Chance(70) ? partner : admin);
      auto r = c.PostJson(t.route, body, h);
      ++requests;
      ++statuses[r.status];
      const bool json = !Json::parse(r.body, nullptr, false).is_discarded();
      if (r.status == 0 || r.status >= 500 || !json) fail("POST " + t.route, body, r);
    } else if (kind < 9) {
      // The readers themselves: any input must give a value or an error, never a crash.
      const bool is_xlsx = m.Chance(50);
      std::string bytes = m.MutateBytes(is_xlsx ? xlsx : csv);
      (void)registry::ReadSpreadsheet(bytes, is_xlsx ? registry::FileFormat::kXlsx : registry::FileFormat::kCsv);
      ++readers;
    } else {
      const bool is_xlsx = m.Chance(50);
      std::string bytes = m.MutateBytes(is_xlsx ? xlsx : csv);
      Headers h = Bearer(admin);
      h.emplace_back("Content-Type",
                     is_xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
      auto r = c.Request("POST", m.Chance(50) ? "/api/v1/imports/persons" : "/api/v1/imports/households", bytes, h);
      ++requests;
      ++statuses[r.status];
      if (r.status == 0 || r.status >= 500) fail("import", bytes, r);
    }
  }
  long fives = 0;
  for (const auto& [status, n] : statuses) fives += status >= 500 || status == 0 ? n : 0;
  std::cout << "fuzz: " << seconds << " s, seed " << seed << ", " << requests << " requests, " << readers
            << " direct reader calls, " << fives << " 5xx or no answer, " << failures << " failures\n  statuses:";
  for (const auto& [status, n] : statuses) std::cout << " " << status << "×" << n;
  std::cout << "\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace sanad::testing

int main(int argc, char** argv) {
  CLI::App app{"Bounded mutational fuzzing of the HTTP API and the spreadsheet readers"};
  int seconds = 20;
  std::uint64_t seed = 1;
  app.add_option("--seconds", seconds, "How long to run")->check(CLI::Range(1, 3600));
  app.add_option("--seed", seed, "Random seed");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::off);  // internal errors are counted from the answers
  return sanad::testing::Run(seconds, seed);
}

// Test fixture for the HTTP suite: the real server started in-process on a free loopback port, wired by
// the composition root exactly as `sanad serve` is (app::OpenPlatform on a temporary SQLite file or the
// test PostgreSQL, app::Application with a JSON-lines access log in a temporary file), on a clock the
// test moves by hand; and a small blocking HTTP/1.1 client over real TCP sockets that can also send raw
// bytes.
//
// Thread safety: a TestServer is driven from the test's thread; its handlers run on the server's pool.
#pragma once

#ifndef ASIO_STANDALONE
#define ASIO_STANDALONE
#endif

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/services.h"
#include "app/application.h"
#include "app/platform.h"
#include "audit/audit_spool.h"
#include "auth/auth_service.h"
#include "core/time.h"
#include "http/metrics.h"

namespace sanad::testing {

// ---------------------------------------------------------------------------------------------------
// Client

struct HttpResponse {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::string status_line;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;

  std::optional<std::string> Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return v;
    }
    return std::nullopt;
  }
  std::vector<std::string> Headers(std::string_view lower_name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers) {
      if (k == lower_name) out.push_back(v);
    }
    return out;
  }
  nlohmann::json Json() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) return nlohmann::json();
    return j;
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Parses "HTTP/1.1 200 OK\r\n...\r\n\r\nbody". Returns nullopt while the message is incomplete
// (headers not finished or fewer body bytes than Content-Length).
inline std::optional<HttpResponse> ParseResponse(const std::string& data, bool at_eof) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  HttpResponse r;
  std::size_t line_end = data.find("\r\n");
  r.status_line = data.substr(0, line_end);
  if (r.status_line.size() >= 12 && r.status_line.starts_with("HTTP/1."))
    r.status = std::stoi(r.status_line.substr(9, 3));
  std::size_t pos = line_end + 2;
  std::optional<std::size_t> length;
  while (pos < end) {
    std::size_t e = data.find("\r\n", pos);
    std::string line = data.substr(pos, e - pos);
    pos = e + 2;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "content-length") length = std::stoul(value);
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  std::string body = data.substr(end + 4);
  if (length) {
    if (body.size() < *length) return std::nullopt;
    body.resize(*length);
  } else if (!at_eof) {
    return std::nullopt;
  }
  r.body = std::move(body);
  return r;
}

// A blocking HTTP/1.1 client: one connection per request ("Connection: close"), with a deadline.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(30))
      : port_(port), timeout_(timeout) {}

  HttpResponse Request(const std::string& method, const std::string& target, const std::string& body = "",
                       const Headers& headers = {}) const {
    std::string wire =
        fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", method, target, port_);
    bool has_length = false;
    for (const auto& [k, v] : headers) {
      wire.append(k).append(": ").append(v).append("\r\n");
      std::string lower = k;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "content-length" || lower == "transfer-encoding") has_length = true;
    }
    if (!has_length && (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
      wire += fmt::format("Content-Length: {}\r\n", body.size());
    }
    wire += "\r\n";
    wire += body;
    std::string raw = SendRaw(wire);
    auto parsed = ParseResponse(raw, true);
    return parsed ? *parsed : HttpResponse{};
  }

  HttpResponse Get(const std::string& target, const Headers& headers = {}) const {
    return Request("GET", target, "", headers);
  }
  HttpResponse PostJson(const std::string& target, const std::string& json, Headers headers = {}) const {
    headers.emplace_back("Content-Type", "application/json");
    return Request("POST", target, json, headers);
  }

  // Writes `bytes` on a fresh connection and returns everything the server sends back until it closes
  // the connection, a complete response arrives (when `stop_at_response`), or the deadline passes.
  std::string SendRaw(const std::string& bytes, bool stop_at_response = true) const {
    asio::io_context io;
    asio::ip::tcp::socket sock(io);
    asio::error_code ec;
    sock.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec) throw std::runtime_error("cannot connect to the test server: " + ec.message());
    std::string received;
    std::array<char, 16384> buf;
    bool done = false;
    std::function<void(const asio::error_code&, std::size_t)> on_read = [&](const asio::error_code& e, std::size_t n) {
      received.append(buf.data(), n);
      if (e) {
        done = true;
        return;
      }
      if (stop_at_response && ParseResponse(received, false)) {
        done = true;
        return;
      }
      sock.async_read_some(asio::buffer(buf), on_read);
    };
    asio::async_write(sock, asio::buffer(bytes), [&](const asio::error_code&, std::size_t) {});
    sock.async_read_some(asio::buffer(buf), on_read);
    io.run_for(timeout_);
    (void)done;
    sock.close(ec);
    return received;
  }

  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
};

// ---------------------------------------------------------------------------------------------------
// Server

// A clock tests move by hand; safe to read from the server's threads while the test advances it.
class TestClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(us_.load())); }
  void Advance(std::chrono::seconds by) { us_ += std::chrono::duration_cast<std::chrono::microseconds>(by).count(); }

 private:
  std::atomic<std::int64_t> us_{
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count()};
};

struct TestServerOptions {
  auth::SessionPolicy session{};
  auth::ThrottlePolicy throttle{};
  // Builds a custom route table instead of api::BuildRoutes (deny-by-default tests).
  std::function<http::RouteTable(api::Services&)> routes;
  bool static_files = false;
  std::size_t threads = 4;
  std::string db_url;                           // empty: a fresh SQLite file in the test's temporary folder
  std::optional<targeting::Model> score_model;  // the active score model (`sanad serve --score-model`)
  bool https = false;  // the server is configured as reached over HTTPS (`sanad serve --public-url https://…`)
  // The job runner (deduplication jobs): a short poll so that tests do not wait for queued jobs.
  jobs::JobRunnerOptions jobs{.node_id = "test-node", .poll = std::chrono::milliseconds(20)};
  // The entries computation of programme cycles; empty: the one `sanad serve` wires.
  cycles::EntriesComputer cycle_entries;
  // DCI callbacks: a short poll and an immediate first retry so that tests do not wait.
  dci::OutboxOptions dci_outbox{.poll = std::chrono::milliseconds(20),
                                .timeout = std::chrono::milliseconds(2000),
                                .first_retry = std::chrono::milliseconds(0)};
  // The key sealing confidential case notes (a fresh one per server).
  std::optional<cases::NoteCipher> case_notes = cases::NoteCipher::FromHex(cases::NoteCipher::NewHexKey()).value();
};

inline std::filesystem::path MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "sanad-http-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

inline std::uint16_t FreeLoopbackPort() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {}) : options_(std::move(options)), dir_(MakeTempDir()) {
    const std::string url = options_.db_url.empty() ? "sqlite:" + (dir_ / "test.db").string() : options_.db_url;
    // The platform and the application as `sanad serve` wires them (app/), on the test clock.
    auto p = app::OpenPlatform({.db = url,
                                .data_dir = app::DefaultDataDir(),
                                .pool_size = options_.threads + 2,
                                .migrate = true,
                                .clock = &clock_,
                                .session = options_.session,
                                .throttle = options_.throttle});
    if (!p) throw std::runtime_error("OpenPlatform: " + p.error().message);
    platform_ = std::move(*p);
    access_log_path_ = (dir_ / "access.log").string();
    auto access = std::make_shared<spdlog::logger>(
        "access-" + dir_.filename().string(), std::make_shared<spdlog::sinks::basic_file_sink_mt>(access_log_path_));
    access->set_pattern("%v");
    access->flush_on(spdlog::level::info);
    auto a =
        app::Application::Create(*platform_, {.data_dir = app::DefaultDataDir(),
                                              .server = {.bind = "127.0.0.1", .port = 0, .threads = options_.threads},
                                              .web_root = options_.static_files ? app::DefaultWebRoot() : std::string(),
                                              .access_log = access,
                                              .https = options_.https,
                                              .jobs = options_.jobs,
                                              .feed_poll = std::chrono::milliseconds(200),
                                              .score_model = options_.score_model,
                                              .routes = options_.routes,
                                              .cycle_entries = options_.cycle_entries,
                                              .dci_outbox = options_.dci_outbox,

                                              .case_notes = options_.case_notes});
    if (!a) throw std::runtime_error("Application: " + a.error().message);
    app_ = std::move(*a);
    for (int attempt = 0;; ++attempt) {
      port_ = FreeLoopbackPort();
      auto st = app_->Listen(port_);
      if (st) break;
      if (attempt == 5) throw std::runtime_error("cannot start the test server: " + st.error().message);
    }
    WaitUntilServing();
  }

  ~TestServer() {
    app_.reset();  // stops the server, the job runner and the feed follower before the platform goes
    platform_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  HttpClient Client() const { return HttpClient(port_); }
  TestClock& clock() { return clock_; }
  api::Services& services() { return app_->services(); }
  app::Platform& platform() { return *platform_; }
  app::Application& application() { return *app_; }
  http::Metrics& metrics() { return app_->metrics(); }
  const std::string& access_log_path() const { return access_log_path_; }

  // Creates an account directly through the service; returns its password.
  std::string AddUser(const std::string& username, const std::vector<auth::Role>& roles,
                      const std::optional<std::string>& area = std::nullopt) {
    auth::AuthService& auth = *platform_->auth;
    std::string password = "pw-" + auth::AuthService::RandomToken(12);
    auto u = auth.CreateUser(username, password, roles, area);
    // A random password is refused now and then by the policy (a run like "1234"): draw another.
    for (int i = 0; i < 20 && !u && u.error().reason.starts_with("password."); ++i) {
      password = "pw-" + auth::AuthService::RandomToken(12);
      u = auth.CreateUser(username, password, roles, area);
    }
    if (!u) throw std::runtime_error("CreateUser " + username + ": " + u.error().message);
    return password;
  }

 private:
  void WaitUntilServing() {
    HttpClient c(port_, std::chrono::seconds(2));
    for (int i = 0; i < 100; ++i) {
      try {
        if (c.Get("/healthz").status != 0) return;
      } catch (const std::exception&) {
        // not accepting connections yet: try again
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("the test server does not answer");
  }

  TestServerOptions options_;
  std::filesystem::path dir_;
  TestClock clock_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<app::Application> app_;
  std::string access_log_path_;
  std::uint16_t port_ = 0;
};

// A signed-in browser session or bearer token, with helpers that add the right headers.
struct BrowserSession {
  std::string cookie;  // "sanad_session=…"
  std::string csrf;
  Headers Auth(bool with_csrf = true) const {
    Headers h{{"Cookie", cookie}};
    if (with_csrf) h.emplace_back("X-CSRF-Token", csrf);
    return h;
  }
};

inline std::optional<BrowserSession> LoginBrowser(const HttpClient& c, const std::string& user,
                                                  const std::string& password) {
  auto r = c.PostJson("/api/v1/auth/login", nlohmann::json{{"username", user}, {"password", password}}.dump());
  if (r.status != 200) return std::nullopt;
  auto set_cookie = r.Header("set-cookie");
  if (!set_cookie) return std::nullopt;
  return BrowserSession{set_cookie->substr(0, set_cookie->find(';')), r.Json().value("csrf_token", "")};
}

inline std::optional<std::string> BearerToken(const HttpClient& c, const std::string& user,
                                              const std::string& password) {
  auto r = c.PostJson("/api/v1/auth/token", nlohmann::json{{"username", user}, {"password", password}}.dump());
  if (r.status != 200) return std::nullopt;
  return r.Json().value("access_token", "");
}

// Makes the audit log refuse every new line (a trigger that raises), or accept them again: reads of
// personal data must then fail closed.
inline void MakeAuditUnwritable(db::Database& db, bool unwritable) {
  auto s = db.Acquire();
  const bool pg = db.dialect() == db::Dialect::kPostgres;
  if (unwritable) {
    if (pg) {
      s.sql() << "CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no "
                 "space left'; END; $$";
      s.sql() << "CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse()";
    } else {
      s.sql()
          << "CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no space left'); END";
    }
  } else {
    s.sql() << (pg ? "DROP TRIGGER audit_refuse ON audit_log" : "DROP TRIGGER audit_refuse");
    if (pg) s.sql() << "DROP FUNCTION audit_refuse()";
  }
  if (pg) return;
  // On SQLite the entries of reads are made durable in the audit spool beside the database first.
  auto spool = db::Database::Open("sqlite:" + audit::AuditSpool::PathFor(db.url().sqlite_path), 1);
  if (!spool) throw std::runtime_error("cannot open the audit spool: " + spool.error().message);
  auto ss = (*spool)->Acquire();
  if (unwritable) {
    ss.sql() << "CREATE TRIGGER audit_refuse BEFORE INSERT ON spooled_entries BEGIN SELECT RAISE(ABORT, 'no space "
                "left'); END";
  } else {
    ss.sql() << "DROP TRIGGER audit_refuse";
  }
}

inline Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// Sums sanad_http_requests_total over series whose status starts with `status_prefix` ("5", "200"…)
// and, when given, whose route label equals `route`.
inline long long CountRequests(const std::string& metrics_text, const std::string& status_prefix,
                               const std::string& route = "") {
  long long total = 0;
  std::size_t pos = 0;
  while (pos < metrics_text.size()) {
    std::size_t e = metrics_text.find('\n', pos);
    if (e == std::string::npos) e = metrics_text.size();
    std::string_view line(metrics_text.data() + pos, e - pos);
    pos = e + 1;
    if (!line.starts_with("sanad_http_requests_total{")) continue;
    auto st = line.find("status=\"");
    if (st == std::string_view::npos || line.substr(st + 8, status_prefix.size()) != status_prefix) continue;
    if (!route.empty() && line.find("route=\"" + route + "\"") == std::string_view::npos) continue;
    total += std::stoll(std::string(line.substr(line.rfind(' ') + 1)));
  }
  return total;
}

}  // namespace sanad::testing

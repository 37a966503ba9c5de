// Bad input, table-driven: every malformed request gets the expected 4xx with a JSON error that names
// the problem, never a 5xx; raw malformed HTTP never crashes the server, which keeps serving; and at
// the end /metrics has counted no 5xx at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/http/bad_input_table.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;

std::string CodeFor(int status) {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "already_exists";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "failed_precondition";
    case 429:
      return "resource_exhausted";
  }
  return "?";
}

class BadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    const std::string password = server_->AddUser("admin", {auth::Role::kAdmin});
    token_ = new std::string(*BearerToken(server_->Client(), "admin", password));
    session_ = new BrowserSession(*LoginBrowser(server_->Client(), "admin", password));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete token_;
    delete session_;
  }
  static TestServer* server_;
  static std::string* token_;
  static BrowserSession* session_;
};

TestServer* BadInput::server_ = nullptr;
std::string* BadInput::token_ = nullptr;
BrowserSession* BadInput::session_ = nullptr;

TEST_F(BadInput, EveryMalformedRequestGetsTheExpected4xxWithAJsonErrorNamingTheProblem) {
  const auto table = BadInputTable();
  ASSERT_GE(table.size(), 100u);
  auto c = server_->Client();
  const long long before_4xx = CountRequests(c.Get("/metrics").body, "4");
  int checked = 0;
  for (const auto& b : table) {
    SCOPED_TRACE(b.name);
    Headers h = b.headers;
    if (b.as == As::kAdminBearer) {
      h.emplace_back("Authorization", "Bearer " + *token_);
    } else if (b.as == As::kAdminCookie) {
      h.emplace_back("Cookie", session_->cookie);
      if (b.field != "X-CSRF-Token") h.emplace_back("X-CSRF-Token", session_->csrf);
    }
    auto r = c.Request(b.method, b.target, b.body, h);
    ASSERT_NE(r.status, 0) << "no response";
    const std::string shown = r.body.substr(0, 600);  // enough to read a failure
    EXPECT_LT(r.status, 500) << shown;
    EXPECT_EQ(r.status, b.status) << shown;
    EXPECT_EQ(r.Header("content-type"), "application/json");
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error") || !j["error"].is_object()) {
      ADD_FAILURE() << "not a JSON error: " << shown;
      continue;
    }
    EXPECT_EQ(j["error"].value("code", ""), b.code.empty() ? CodeFor(b.status) : b.code) << shown;
    EXPECT_FALSE(j["error"].value("message", "").empty()) << shown;
    if (!b.field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), b.field) << shown;
    }
    if (!b.allow.empty()) {
      EXPECT_EQ(r.Header("allow"), b.allow);
    }
    EXPECT_TRUE(r.Header("x-request-id"));
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(table.size()));
  const std::string metrics = c.Get("/metrics").body;
  EXPECT_EQ(CountRequests(metrics, "4") - before_4xx, static_cast<long long>(table.size()));
  EXPECT_EQ(CountRequests(metrics, "5"), 0);
  std::cout << "[ bad input ] " << checked << " malformed requests checked\n";
}

// Raw bytes on the socket: whatever the server answers (often nothing: the parser drops the
// connection), it is never a 5xx, and the server keeps serving.
TEST_F(BadInput, RawMalformedHttpNeverCrashesTheServer) {
  auto c = server_->Client();
  HttpClient quick(server_->port(), std::chrono::milliseconds(1500));
  const std::vector<std::pair<std::string, std::string>> raw = {
      {"garbage line", "GARBAGE\r\n\r\n"},
      {"method only", "GET\r\n\r\n"},
      {"no version", "GET /healthz\r\n\r\n"},
      {"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"},
      {"unknown method", "FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"lower-case method", "get /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"header without colon", "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"},
      {"header name with space", "GET /healthz HTTP/1.1\r\nBad Name: 1\r\n\r\n"},
      {"binary bytes", std::string("\x00\x01\x02\xff\xfe\r\n\r\n", 9)},
      {"NUL in path", std::string("GET /heal\0thz HTTP/1.1\r\nHost: x\r\n\r\n", 35)},
      {"high bytes in path", "GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"negative Content-Length", "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: -1\r\n\r\n"},
      {"non-numeric Content-Length", "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: abc\r\n\r\n"},
      {"two Content-Lengths", "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"},
      {"huge Content-Length", "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"},
      {"body shorter than Content-Length",
       "POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}"},
      {"bad chunk size", "POST /api/v1/auth/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"chunked and Content-Length",
       "POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: "
       "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"20 KB header value", "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"},
      {"20 KB URL", "GET /" + std::string(20000, 'u') + " HTTP/1.1\r\n\r\n"},
      {"300 headers",
       [] {
         std::string s = "GET /healthz HTTP/1.1\r\n";
         for (int i = 0; i < 300; ++i) s += fmt::format("X-H{}: {}\r\n", i, i);
         return s + "\r\n";
       }()},
      {"control bytes in a header value", "GET /api/v1/auth/me HTTP/1.1\r\nAuthorization: Bearer \x01\x02\x03\r\n\r\n"},
      {"header folding", "GET /healthz HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n"},
      {"bare LF line endings", "GET /healthz HTTP/1.1\nHost: x\n\n"},
      {"CR without LF", "GET /healthz HTTP/1.1\rHost: x\r\r"},
      {"absolute URI", "GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"asterisk target", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"TLS client hello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)},
      {"half a request line", "GET /hea"},
      {"only CRLFs", "\r\n\r\n\r\n\r\n"},
      {"percent garbage in path", "GET /api/v1/areas/%zz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"percent garbage in static path", "GET /%zz%%% HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"upgrade to websocket",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"},
  };
  for (const auto& [name, bytes] : raw) {
    SCOPED_TRACE(name);
    std::string answer = quick.SendRaw(bytes);
    if (!answer.empty() && answer.starts_with("HTTP/1.")) {
      auto parsed = ParseResponse(answer, true);
      ASSERT_TRUE(parsed) << answer.substr(0, 200);
      EXPECT_LT(parsed->status, 500) << answer.substr(0, 400);
    }
    ASSERT_EQ(c.Get("/healthz").status, 200) << "the server stopped answering after: " << name;
  }
  // The path case is answered properly, not dropped.
  auto pct =
      ParseResponse(quick.SendRaw("GET /api/v1/areas/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true);
  ASSERT_TRUE(pct);
  EXPECT_EQ(pct->status, 400);
  EXPECT_EQ(pct->Json()["error"]["field"], "path");
  // Raw bytes that are not UTF-8 are echoed in the message as U+FFFD: the error stays valid JSON.
  auto high =
      ParseResponse(quick.SendRaw("GET /api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true);
  ASSERT_TRUE(high);
  EXPECT_EQ(high->status, 404);
  EXPECT_FALSE(json::parse(high->body, nullptr, false).is_discarded()) << high->body;
  EXPECT_EQ(high->Json()["error"]["reason"], "route.not_found");
  EXPECT_EQ(high->Json()["error"]["message"], "No route GET /api/v1/\xef\xbf\xbd\xef\xbf\xbd.");
  // Two pipelined requests on one connection get two answers.
  std::string two = quick.SendRaw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      /*stop_at_response=*/false);
  std::size_t count = 0;
  for (std::size_t p = two.find("HTTP/1.1 200"); p != std::string::npos; p = two.find("HTTP/1.1 200", p + 1)) ++count;
  EXPECT_EQ(count, 2u);
  // HTTP/1.0 without a Host header still works.
  auto old = ParseResponse(quick.SendRaw("GET /healthz HTTP/1.0\r\n\r\n", false), true);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200);
}

TEST_F(BadInput, ManyConnectionsDroppedMidRequestLeaveTheServerServing) {
  HttpClient quick(server_->port(), std::chrono::milliseconds(50));
  for (int i = 0; i < 50; ++i)
    (void)quick.SendRaw("POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"user");
  EXPECT_EQ(server_->Client().Get("/healthz").status, 200);
}

// Last in this file: everything above was refused properly, and /metrics agrees.
TEST_F(BadInput, TheServerStillAnswersAndCountedNo5xx) {
  auto c = server_->Client();
  ASSERT_EQ(c.Get("/healthz").status, 200);
  auto m = c.Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(CountRequests(m.body, "5"), 0) << m.body;
  EXPECT_GT(CountRequests(m.body, "2"), 0);
}

}  // namespace
}  // namespace sanad::testing

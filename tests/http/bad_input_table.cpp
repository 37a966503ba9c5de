// The bad-input table, its rows about request bodies: malformed JSON on every JSON route, wrong types,
// missing, unknown and overlong fields, oversized bodies and wrong Content-Types. The rows about the
// rest of the request are in bad_input_request_rows.cpp.
#include "tests/http/bad_input_table.h"

#include <utility>

namespace sanad::testing {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

// Malformed JSON documents, each sent to every route that takes a JSON body.
std::vector<std::pair<std::string, std::string>> MalformedJson() {
  return {
      {"empty body", ""},
      {"whitespace only", "   \n\t "},
      {"truncated object", R"({"username":"admin","pass)"},
      {"truncated after brace", "{"},
      {"trailing garbage", R"({"username":"admin","password":"0123456789"} trailing)"},
      {"two objects", R"({"username":"admin"}{"password":"0123456789"})"},
      {"invalid UTF-8 in a string", "{\"username\":\"ad\xff\xfemin\",\"password\":\"0123456789\"}"},
      {"overlong UTF-8 encoding", "{\"username\":\"\xc0\xaf\",\"password\":\"0123456789\"}"},
      {"lone surrogate escape", R"({"username":"\ud800","password":"0123456789"})"},
      {"10,000 nested arrays", std::string(10000, '[')},
      {"1,000 nested arrays", std::string(1000, '[')},
      {"40 nested objects, well-formed",
       [] {
         std::string s = R"({"username":"admin","password":"0123456789","x":)";
         for (int i = 0; i < 40; ++i) s += "{\"a\":";
         s += "1";
         for (int i = 0; i < 41; ++i) s += "}";
         return s;
       }()},
      {"10,000 nested objects",
       [] {
         std::string s;
         for (int i = 0; i < 10000; ++i) s += "{\"a\":";
         return s;
       }()},
      {"NaN", R"({"username":NaN,"password":"0123456789"})"},
      {"Infinity", R"({"username":"admin","password":Infinity})"},
      {"single quotes", "{'username':'admin','password':'0123456789'}"},
      {"comment", R"(/* hi */ {"username":"admin","password":"0123456789"})"},
      {"unquoted key", R"({username:"admin","password":"0123456789"})"},
      {"trailing comma", R"({"username":"admin","password":"0123456789",})"},
      {"JSON array", R"(["admin","0123456789"])"},
      {"JSON string", R"("admin")"},
      {"JSON number", "42"},
      {"JSON null", "null"},
      {"JSON true", "true"},
      {"NUL byte",
       [] {
         static constexpr char kBody[] = "{\"username\":\"a\0b\",\"password\":\"0123456789\"}";
         return std::string(kBody, sizeof kBody - 1);
       }()},
  };
}

}  // namespace

std::vector<BadRequest> BadInputTable() {
  std::vector<BadRequest> t;
  const char* json_routes[] = {"/api/v1/auth/login", "/api/v1/auth/token", "/api/v1/users"};

  // --- Malformed JSON on every JSON route -------------------------------------------------------
  for (const char* route : json_routes) {
    const As as = std::string(route) == "/api/v1/users" ? As::kAdminBearer : As::kAnonymous;
    const std::size_t limit = as == As::kAnonymous ? 4096 : 8192;
    for (const auto& [name, body] : MalformedJson()) {
      // Above the route's body limit the size is refused first (413), before any parsing.
      t.push_back({fmt::format("{}: {}", route, name),
                   "POST",
                   route,
                   body,
                   {{"Content-Type", kJson}},
                   as,
                   body.size() > limit ? 413 : 400,
                   "",
                   "body"});
    }
  }
  // The cookie path reaches the same parser once the CSRF token is right.
  t.push_back({"users via cookie: truncated",
               "POST",
               "/api/v1/users",
               "{\"username\":",
               {{"Content-Type", kJson}},
               As::kAdminCookie,
               400,
               "",
               "body"});

  // --- Wrong types for every field ---------------------------------------------------------------
  const std::vector<std::pair<std::string, json>> wrong_scalars = {{"number", 42},
                                                                   {"float", 1.5},
                                                                   {"boolean", true},
                                                                   {"array", json::array({"a"})},
                                                                   {"object", json::object()},
                                                                   {"huge number", json::parse("1e308")}};
  for (const char* route : {"/api/v1/auth/login", "/api/v1/auth/token"}) {
    for (const char* field : {"username", "password"}) {
      for (const auto& [type, value] : wrong_scalars) {
        json body{{"username", "admin"}, {"password", "0123456789"}};
        body[field] = value;
        t.push_back({fmt::format("{}: {} is {}", route, field, type),
                     "POST",
                     route,
                     body.dump(),
                     {{"Content-Type", kJson}},
                     As::kAnonymous,
                     400,
                     "",
                     field});
      }
    }
  }
  const json good_user{{"username", "typed.user"}, {"password", "a-long-password"}, {"roles", {"auditor"}}};
  for (const char* field : {"username", "password", "area_code"}) {
    for (const auto& [type, value] : wrong_scalars) {
      json body = good_user;
      body[field] = value;
      t.push_back({fmt::format("users: {} is {}", field, type),
                   "POST",
                   "/api/v1/users",
                   body.dump(),
                   {{"Content-Type", kJson}},
                   As::kAdminBearer,
                   400,
                   "",
                   field});
    }
  }
  const std::vector<std::tuple<std::string, json, std::string>> wrong_roles = {
      {"a string", "auditor", "roles"},
      {"a number", 7, "roles"},
      {"an object", json::object(), "roles"},
      {"null", nullptr, "roles"},
      {"an array of numbers", json::array({1}), "roles[0]"},
      {"an array with null", json::array({"auditor", nullptr}), "roles[1]"},
      {"an array of arrays", json::array({json::array({"auditor"})}), "roles[0]"},
      {"12 roles", json(std::vector<std::string>(12, "auditor")), "roles"}};
  for (const auto& [type, value, field] : wrong_roles) {
    json body = good_user;
    body["roles"] = value;
    t.push_back({"users: roles is " + type,
                 "POST",
                 "/api/v1/users",
                 body.dump(),
                 {{"Content-Type", kJson}},
                 As::kAdminBearer,
                 400,
                 "",
                 field});
  }

  // --- Missing, unknown and overlong fields ------------------------------------------------------
  for (const char* route : {"/api/v1/auth/login", "/api/v1/auth/token"}) {
    t.push_back({std::string(route) + ": empty object",
                 "POST",
                 route,
                 "{}",
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "username"});
    t.push_back({std::string(route) + ": no password",
                 "POST",
                 route,
                 R"({"username":"admin"})",
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "password"});
    t.push_back({std::string(route) + ": null username",
                 "POST",
                 route,
                 R"({"username":null,"password":"0123456789"})",
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "username"});
    t.push_back({std::string(route) + ": unknown field",
                 "POST",
                 route,
                 R"({"username":"admin","password":"0123456789","remember_me":true})",
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "remember_me"});
    t.push_back({std::string(route) + ": username too long",
                 "POST",
                 route,
                 json{{"username", std::string(65, 'a')}, {"password", "0123456789"}}.dump(),
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "username"});
    t.push_back({std::string(route) + ": password too long",
                 "POST",
                 route,
                 json{{"username", "admin"}, {"password", std::string(1025, 'p')}}.dump(),
                 {{"Content-Type", kJson}},
                 As::kAnonymous,
                 400,
                 "",
                 "password"});
  }
  t.push_back({"users: no roles",
               "POST",
               "/api/v1/users",
               R"({"username":"x.user","password":"a-long-password"})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "roles"});
  t.push_back({"users: no username",
               "POST",
               "/api/v1/users",
               R"({"password":"a-long-password","roles":["auditor"]})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "username"});
  t.push_back({"users: unknown field",
               "POST",
               "/api/v1/users",
               R"({"username":"x.user","password":"a-long-password","roles":["auditor"],"is_admin":true})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "is_admin"});
  t.push_back({"users: unknown role",
               "POST",
               "/api/v1/users",
               R"({"username":"x.user","password":"a-long-password","roles":["god"]})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "roles[0]"});
  t.push_back({"users: short password",
               "POST",
               "/api/v1/users",
               R"({"username":"x.user","password":"short","roles":["auditor"]})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "password"});
  t.push_back({"users: unknown area",
               "POST",
               "/api/v1/users",
               R"({"username":"x.user","password":"a-long-password","roles":["auditor"],"area_code":"XX-1"})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               422,
               "",
               "area_code"});
  t.push_back({"logout: a body",
               "POST",
               "/api/v1/auth/logout",
               R"({"all":true})",
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               400,
               "",
               "body"});

  // --- Oversized bodies (413) --------------------------------------------------------------------
  const std::string big_login = json{{"username", "admin"}, {"password", std::string(4100, 'x')}}.dump();
  t.push_back({"login: 4 KiB + body",
               "POST",
               "/api/v1/auth/login",
               big_login,
               {{"Content-Type", kJson}},
               As::kAnonymous,
               413,
               "",
               "body"});
  t.push_back({"token: 4 KiB + body",
               "POST",
               "/api/v1/auth/token",
               big_login,
               {{"Content-Type", kJson}},
               As::kAnonymous,
               413,
               "",
               "body"});
  t.push_back({"login: 1 MiB body",
               "POST",
               "/api/v1/auth/login",
               std::string(1 << 20, '{'),
               {{"Content-Type", kJson}},
               As::kAnonymous,
               413,
               "",
               "body"});
  t.push_back({"users: 8 KiB + body",
               "POST",
               "/api/v1/users",
               json{{"username", "big"}, {"password", std::string(9000, 'x')}, {"roles", {"auditor"}}}.dump(),
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               413,
               "",
               "body"});
  t.push_back({"logout: 1 KiB body",
               "POST",
               "/api/v1/auth/logout",
               std::string(1024, ' '),
               {{"Content-Type", kJson}},
               As::kAdminBearer,
               413,
               "",
               "body"});
  t.push_back({"areas: 2 MiB body on a GET",
               "GET",
               "/api/v1/areas",
               std::string(2 << 20, 'a'),
               {},
               As::kAdminBearer,
               413,
               "",
               "body"});

  // --- Wrong Content-Type (415) ------------------------------------------------------------------
  const std::string login_body = R"({"username":"admin","password":"0123456789"})";
  for (const char* ct : {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/xml", "text/json"}) {
    Headers h;
    if (*ct) h.emplace_back("Content-Type", ct);
    t.push_back({fmt::format("login: Content-Type '{}'", ct), "POST", "/api/v1/auth/login", login_body, h,
                 As::kAnonymous, 415, "", "Content-Type"});
  }
  t.push_back({"users: text/plain",
               "POST",
               "/api/v1/users",
               good_user.dump(),
               {{"Content-Type", "text/plain"}},
               As::kAdminBearer,
               415,
               "",
               "Content-Type"});
  t.push_back({"token: form",
               "POST",
               "/api/v1/auth/token",
               "username=admin&password=0123456789",
               {{"Content-Type", "application/x-www-form-urlencoded"}},
               As::kAnonymous,
               415,
               "",
               "Content-Type"});

  AddRequestRows(t, good_user);
  return t;
}

}  // namespace sanad::testing

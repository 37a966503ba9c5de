// POST /api/v1/auth/login|token|logout, GET /api/v1/auth/me, POST /api/v1/me/password.
#include <fmt/format.h>

#include "api/json_mapping.h"
#include "api/services.h"
#include "http/json_input.h"
#include "http/pipeline.h"

namespace sanad::api {

namespace {

struct Credentials {
  std::string username;
  std::string password;
};

Result<Credentials> ReadCredentials(const http::Request& req) {
  auto body = http::ParseJsonObject(req);
  if (!body) return std::unexpected(body.error());
  http::ObjectReader r(*body);
  auto username = r.RequiredString("username", 64);
  if (!username) return std::unexpected(username.error());
  auto password = r.RequiredString("password", 1024);
  if (!password) return std::unexpected(password.error());
  if (auto s = r.RejectUnknown(); !s) return std::unexpected(s.error());
  return Credentials{*username, *password};
}

}  // namespace

void AddAuthRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"POST", "/api/v1/auth/login", P::kPublic,
               [&s](http::Request& req) {
                 auto c = ReadCredentials(req);
                 if (!c) return http::ErrorResponse(c.error());
                 auto login = s.auth.Login(c->username, c->password, auth::SessionKind::kBrowser,
                                           {req.remote_ip, req.request_id});
                 if (!login) return http::ErrorResponse(login.error());
                 nlohmann::json body{{"user", UserJson(login->user)},
                                     {"csrf_token", login->csrf_token},
                                     {"expires_at", login->expires_at},
                                     {"must_change_password", login->user.must_change_password}};
                 auto resp = http::JsonResponse(200, body.dump());
                 // `Secure` is added by the pipeline when the server is configured for HTTPS.
                 resp.Header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                                                       http::kSessionCookie, login->secret, login->expires_in));
                 return resp;
               },
               4096});
  t.push_back({"POST", "/api/v1/auth/token", P::kPublic,
               [&s](http::Request& req) {
                 auto c = ReadCredentials(req);
                 if (!c) return http::ErrorResponse(c.error());
                 auto login = s.auth.Login(c->username, c->password, auth::SessionKind::kBearer,
                                           {req.remote_ip, req.request_id});
                 if (!login) return http::ErrorResponse(login.error());
                 nlohmann::json body{
                     {"access_token", login->secret}, {"token_type", "Bearer"}, {"expires_in", login->expires_in}};
                 return http::JsonResponse(200, body.dump());
               },
               4096});
  t.push_back({"POST", "/api/v1/auth/logout", P::kAuthenticated,
               [&s](http::Request& req) {
                 if (!req.body.empty() && req.body.find_first_not_of(" \t\r\n{}") != std::string::npos) {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "request.no_body", {}, "body").error());
                 }
                 if (auto st = s.auth.Logout(*req.principal, {req.remote_ip, req.request_id}); !st) {
                   return http::ErrorResponse(st.error());
                 }
                 http::Response resp;
                 resp.status = 204;
                 resp.Header("Set-Cookie",
                             fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", http::kSessionCookie));
                 return resp;
               },
               64, true});
  t.push_back({"GET", "/api/v1/auth/me", P::kAuthenticated,
               [](http::Request& req) {
                 if (!req.query.empty())
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "query.none_expected",
                                                      {{"name", req.query.front().first}}, req.query.front().first)
                                                  .error());
                 nlohmann::json body{{"user", UserJson(req.principal->user)},
                                     {"csrf_token", req.principal->csrf_token},
                                     {"must_change_password", req.principal->user.must_change_password}};
                 return http::JsonResponse(200, body.dump());
               },
               http::kDefaultMaxBody, true});
  t.push_back({"POST", "/api/v1/me/password", P::kAuthenticated,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 http::ObjectReader r(*body);
                 auto current = r.RequiredString("current_password", 1024);
                 if (!current) return http::ErrorResponse(current.error());
                 auto fresh = r.RequiredString("new_password", 1024);
                 if (!fresh) return http::ErrorResponse(fresh.error());
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (auto st =
                         s.auth.ChangeOwnPassword(*req.principal, *current, *fresh, {req.remote_ip, req.request_id});
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 http::Response resp;
                 resp.status = 204;
                 return resp;
               },
               4096, true});
}

}  // namespace sanad::api

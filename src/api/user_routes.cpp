// GET /api/v1/users, POST /api/v1/users, PATCH /api/v1/users/{id}, POST /api/v1/users/{id}/password:
// account administration.
#include "api/json_mapping.h"
#include "api/services.h"
#include "http/json_input.h"

namespace sanad::api {

namespace {

// The body's role names as roles; an unknown one is named by its index.
Result<std::vector<auth::Role>> ParseRoles(const std::vector<std::string>& names) {
  std::vector<auth::Role> roles;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto role = auth::ParseRole(names[i]);
    if (!role) {
      return Failure(Code::kInvalidArgument, "user.unknown_role", {{"role", names[i]}},
                     "roles[" + std::to_string(i) + "]");
    }
    roles.push_back(*role);
  }
  return roles;
}

}  // namespace

void AddUserRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/users", P::kUsersManage, [&s](http::Request& req) {
                 static const auto kSorts = db::SortValues(auth::kUserSorts);
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(sort, q.OneOf("sort", kSorts));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 long long total = 0;
                 TRY_OR_RESPOND(users,
                                s.auth.store().ListUsers(paging->limit, paging->offset, sort->value_or(""), total));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& u : *users) items.push_back(UserJson(u));
                 return http::JsonResponse(200, http::ListJson(items, total, *paging));
               }});
  t.push_back({"POST", "/api/v1/users", P::kUsersManage,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(username, r.RequiredString("username", 64));
                 TRY_OR_RESPOND(password, r.RequiredString("password", 1024));
                 TRY_OR_RESPOND(role_names, r.StringArray("roles", true, 11));
                 TRY_OR_RESPOND(area, r.OptionalString("area_code", 64));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(roles, ParseRoles(*role_names));
                 // The account and its audit entry commit together.
                 auto user = s.auth.CreateUser(
                     *username, *password, *roles, *area,
                     {req.principal->user.id.value, req.principal->user.username, {req.remote_ip, req.request_id}});
                 if (!user) {
                   // The service names its inputs as the CLI does (--role, --area); name the body's fields.
                   Error e = user.error();
                   if (e.field == "role") e.field = "roles";
                   if (e.field == "area") e.field = "area_code";
                   return http::ErrorResponse(e);
                 }
                 return http::JsonResponse(201, UserJson(*user).dump());
               },
               8192});
  // Roles, area scope and whether the account may sign in; fields left out keep their value, and
  // "area_code": null makes the scope national.
  t.push_back({"PATCH", "/api/v1/users/:id", P::kUsersManage,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(role_names, r.StringArray("roles", false, 11));
                 TRY_OR_RESPOND(area, r.OptionalString("area_code", 64));
                 TRY_OR_RESPOND(active, r.OptionalBool("active"));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(current, s.auth.store().FindById(UserId(*id)));
                 if (!*current) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(*id)}}, "id").error());
                 }
                 std::vector<auth::Role> roles = (*current)->roles;
                 if (body->contains("roles")) {
                   TRY_OR_RESPOND(parsed, ParseRoles(*role_names));
                   roles = *parsed;
                 }
                 const std::optional<std::string> scope = body->contains("area_code") ? *area : (*current)->area_code;
                 TRY_OR_RESPOND(
                     user, s.auth.UpdateAccess(*req.principal, UserId(*id), roles, scope,
                                               active->value_or((*current)->active), {req.remote_ip, req.request_id}));
                 return http::JsonResponse(200, UserJson(*user).dump());
               },
               4096});
  t.push_back({"POST", "/api/v1/users/:id/password", P::kUsersManage,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(password, r.RequiredString("password", 1024));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (auto st =
                         s.auth.ResetPassword(*req.principal, UserId(*id), *password, {req.remote_ip, req.request_id});
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 http::Response resp;
                 resp.status = 204;
                 return resp;
               },
               4096});
}

}  // namespace sanad::api

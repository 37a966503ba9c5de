// Programmes' definitions for the editor (docs/programs.md, "Stored programmes"): read one, create one
// (from scratch or a template's copy under a new code), save a change with the version it started from
// (409 when someone saved in between), and the history of saves. Permission programmes.manage: rules and
// parameters hold no personal data, so national analysts have it beside administrators. Every save is
// audited in the save's own transaction.
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "programs/programme_json.h"

namespace sanad::api {
namespace {

// The largest definition a request may carry: every rule at its bound would be far more, but a real
// programme (ASD: about 12 KiB) is far less.
constexpr std::size_t kMaxBody = 512 * 1024;

nlohmann::json DefinitionJson(const programs::StoredProgramme& stored) {
  nlohmann::json j = programs::ProgrammeToJson(stored.programme);
  j["version"] = stored.version;
  j["builtin"] = stored.builtin;
  j["updated_at"] = stored.updated_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(stored.updated_at);
  j["updated_by"] = stored.updated_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(stored.updated_by);
  return j;
}

programs::Author AuthorOf(const http::Request& req) {
  return {req.principal->user.id.value, req.principal->user.username};
}

// The audit line of a save, written in the save's transaction: no save without its line.
programs::AlsoInSave AuditSave(Services& s, const http::Request& req, std::string action) {
  return
      [&s, &req, action = std::move(action)](db::Session& session, const programs::StoredProgramme& saved) -> Status {
        audit::AuditEntry e;
        e.user_id = req.principal->user.id.value;
        e.username = req.principal->user.username;
        e.action = action;
        e.record_type = "programme";
        e.record_id = saved.programme.code;
        e.ip = req.remote_ip;
        e.request_id = req.request_id;
        e.details = nlohmann::json{{"version", saved.version}}.dump();
        auto appended = s.audit.AppendIn(session, std::move(e));
        if (!appended) return std::unexpected(appended.error());
        return Ok();
      };
}

}  // namespace

void AddProgrammeEditRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/programs/:code", P::kProgrammesManage, [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(stored, s.programmes->Get(req.Param("code")));
                 return http::JsonResponse(200, DefinitionJson(*stored).dump());
               }});
  t.push_back({"GET", "/api/v1/programs/:code/history", P::kProgrammesManage, [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(versions, s.programmes->History(req.Param("code")));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& v : *versions) {
                   items.push_back({{"version", v.version},
                                    {"saved_at", v.saved_at},
                                    {"saved_by", v.saved_by},
                                    {"definition", programs::ProgrammeToJson(v.programme)}});
                 }
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  t.push_back({"POST", "/api/v1/programs", P::kProgrammesManage,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 TRY_OR_RESPOND(programme, programs::ProgrammeFromJson(*body));
                 TRY_OR_RESPOND(created, s.programmes->Create(*programme, AuthorOf(req), AuditSave(s, req, "create")));
                 return http::JsonResponse(201, DefinitionJson(*created).dump());
               },
               kMaxBody});
  t.push_back({"PUT", "/api/v1/programs/:code", P::kProgrammesManage,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 // The version the editor started from (0 for an unsaved template); the rest is the definition.
                 auto version = body->find("version");
                 if (version == body->end() || !version->is_number_integer() || version->get<std::int64_t>() < 0) {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument,
                                                      version == body->end() ? "field.required" : "field.not_integer",
                                                      {{"field", "version"}}, "version")
                                                  .error());
                 }
                 const std::int64_t expected = version->get<std::int64_t>();
                 body->erase("version");
                 if (!body->contains("code")) (*body)["code"] = req.Param("code");
                 TRY_OR_RESPOND(programme, programs::ProgrammeFromJson(*body));
                 if (programme->code != req.Param("code")) {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "program.code_mismatch",
                                                      {{"value", programme->code}, {"code", req.Param("code")}}, "code")
                                                  .error());
                 }
                 TRY_OR_RESPOND(saved,
                                s.programmes->Update(*programme, expected, AuthorOf(req), AuditSave(s, req, "update")));
                 return http::JsonResponse(200, DefinitionJson(*saved).dump());
               },
               kMaxBody});
}

}  // namespace sanad::api

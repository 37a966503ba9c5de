// Checking a rule as it is typed (docs/programs.md, "Checking a rule"): the editor sends the rule, the
// type its place needs and the parameters it may read (a programme's, or the editor's unsaved sets) and
// gets every problem with its line, column and text in the reader's language. Compiling one rule of at
// most 16 KiB against a few parameter sets costs microseconds; the per-session limit only stops a runaway
// client.
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "i18n/catalogue.h"
#include "programs/programme_check.h"
#include "programs/programme_json.h"

namespace sanad::api {
namespace {

std::string ParamOr(const MessageParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

nlohmann::json IntOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return std::stoi(text);
}

}  // namespace

void AddRuleRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Each keystroke may ask (debounced by the editor): 600 a minute on average, 60 at once, per session.
  auto limit = std::make_shared<http::RateLimiter>(600, 60);
  http::Route validate{
      "POST", "/api/v1/rules/validate", P::kProgrammesManage, [&s, limit](http::Request& req) {
        if (auto wait = limit->Take("session:" + req.principal->session_hash)) {
          auto refused =
              Failure(Code::kResourceExhausted, "request.rate_limited", {{"seconds", std::to_string(*wait)}});
          refused.error().retry_after_seconds = *wait;
          return http::ErrorResponse(refused.error());
        }
        TRY_OR_RESPOND(body, http::ParseJsonObject(req));
        http::ObjectReader r(*body);
        TRY_OR_RESPOND(rule, r.RequiredString("rule", programs::kMaxRuleBytes));
        TRY_OR_RESPOND(type_name, r.RequiredString("type", 10));
        TRY_OR_RESPOND(code, r.OptionalString("programme", 40));
        const nlohmann::json* sets_json = nullptr;
        if (body->contains("parameter_sets")) {
          TRY_OR_RESPOND(array, r.RequiredArray("parameter_sets", programs::kMaxParameterSets));
          sets_json = *array;
        }
        if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
        std::optional<rules::Type> type;
        if (*type_name == "bool") {
          type = rules::Type::kBool;
        } else if (*type_name == "int") {
          type = rules::Type::kInt;
        } else if (*type_name != "decimal") {  // a reason's value: an int or a decimal
          return http::ErrorResponse(
              Failure(Code::kInvalidArgument, "value.not_allowed",
                      {{"field", "type"}, {"value", *type_name}, {"allowed", "bool, int, decimal"}}, "type")
                  .error());
        }
        std::vector<programs::ParameterSet> sets;
        if (sets_json != nullptr) {
          TRY_OR_RESPOND(read, programs::ParameterSetsFromJson(*sets_json));
          sets = std::move(*read);
        } else if (*code) {
          TRY_OR_RESPOND(programme, s.programmes->Find(**code));
          sets = std::move(programme->parameter_sets);
        }
        const i18n::Lang lang = http::RequestLang(req);
        nlohmann::json errors = nlohmann::json::array();
        for (const auto& problem : programs::CheckRule(*rule, type, sets, "rule")) {
          const std::string set = ParamOr(problem.params, "set");
          const std::string expected = ParamOr(problem.params, "expected");
          errors.push_back({{"line", IntOrNull(ParamOr(problem.params, "line"))},
                            {"column", IntOrNull(ParamOr(problem.params, "column"))},
                            {"reason", problem.reason},
                            {"params", nlohmann::json(std::map<std::string, std::string>(problem.params.begin(),
                                                                                         problem.params.end()))},
                            {"message", i18n::Render(lang, problem.reason, problem.params).value_or(problem.reason)},
                            {"expected", expected.empty() ? nlohmann::json(nullptr) : nlohmann::json(expected)},
                            {"set", set.empty() ? nlohmann::json(nullptr) : nlohmann::json(set)}});
        }
        return http::JsonResponse(200, nlohmann::json{{"ok", errors.empty()}, {"errors", errors}}.dump());
      }};
  validate.max_body = 256 * 1024;
  t.push_back(std::move(validate));
}

}  // namespace sanad::api

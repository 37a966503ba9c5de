// Registration of DCI partner systems by administrators (docs/dci.md): a partner_system account's
// callback URL, Ed25519 public key, record types and whether it must sign its messages.
#include <algorithm>

#include "api/dci_partner_routes.h"
#include "dci/signature.h"
#include "http/json_input.h"

namespace sanad::api {

namespace {

using Json = nlohmann::json;

std::optional<std::string> Str(const Json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return std::string();
  if (!obj[key].is_string()) return std::nullopt;
  return obj[key].get<std::string>();
}

}  // namespace

void AddDciPartnerRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Registering partners (administrators).
  t.push_back({"GET", "/api/v1/dci/partners", P::kUsersManage, [&s](http::Request&) {
                 auto list = s.dci->ListPartners();
                 if (!list) return http::ErrorResponse(list.error());
                 Json items = Json::array();
                 for (const auto& p : *list) {
                   items.push_back({{"account", p.account},
                                    {"callback_url", p.callback_url},
                                    {"public_key", p.public_key ? Json(*p.public_key) : Json()},
                                    {"record_types", p.record_types},
                                    {"must_sign", p.must_sign}});
                 }
                 return http::JsonResponse(200, http::JsonText(Json{{"items", items}}));
               }});
  t.push_back(
      {"PUT", "/api/v1/dci/partners/:account", P::kUsersManage, [&s](http::Request& req) {
         auto body = http::ParseJsonObject(req);
         if (!body) return http::ErrorResponse(body.error());
         dci::Partner p;
         p.account = req.Param("account");
         auto url = Str(*body, "callback_url");
         if (!url || !url->starts_with("http://") || url->size() > 500)
           return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.callback_url_invalid",
                                               "callback_url must be an http:// URL", "callback_url")
                                          .error());
         p.callback_url = *url;
         auto key = Str(*body, "public_key");
         if (!key)
           return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.public_key_invalid",
                                               "public_key must be base64 of an Ed25519 key", "public_key")
                                          .error());
         if (!key->empty()) {
           if (!dci::ValidPublicKey(*key))
             return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.public_key_invalid",
                                                 "public_key must be base64 of an Ed25519 key", "public_key")
                                            .error());
           p.public_key = *key;
         }
         p.must_sign = body->value("must_sign", false);
         if (p.must_sign && !p.public_key)
           return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.public_key_invalid",
                                               "a partner that must sign needs a public_key", "public_key")
                                          .error());
         const Json types = body->contains("record_types") ? (*body)["record_types"] : Json::array({"Person", "Group"});
         if (!types.is_array() || types.empty())
           return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.record_types_invalid",
                                               "record_types must be a list of Person, Group", "record_types")
                                          .error());
         for (const auto& t : types) {
           if (!t.is_string() || (t != "Person" && t != "Group"))
             return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.record_types_invalid",
                                                 "record_types must be a list of Person, Group", "record_types")
                                            .error());
           p.record_types.push_back(t.get<std::string>());
         }
         auto user = s.auth.store().FindByUsername(p.account);
         if (!user) return http::ErrorResponse(user.error());
         const bool partner_role = *user && std::find((*user)->first.roles.begin(), (*user)->first.roles.end(),
                                                      auth::Role::kPartnerSystem) != (*user)->first.roles.end();
         if (!partner_role)
           return http::ErrorResponse(FailWith(Code::kInvalidArgument, "dci.partner_account_unknown",
                                               "no partner_system account has this name", "account")
                                          .error());
         const std::string by = req.principal ? req.principal->user.username : "";
         if (auto st = s.dci->PutPartner(p, by, FormatTimestamp(s.clock.Now())); !st)
           return http::ErrorResponse(st.error());
         if (auto st = AuditRequest(s, req, "update", "dci_partner", p.account,
                                    http::JsonText(Json{{"callback_url", p.callback_url}, {"must_sign", p.must_sign}}));
             !st) {
           return http::ErrorResponse(st.error());
         }
         return http::JsonResponse(200, http::JsonText(Json{{"account", p.account},
                                                            {"callback_url", p.callback_url},
                                                            {"record_types", p.record_types},
                                                            {"must_sign", p.must_sign}}));
       }});
}

}  // namespace sanad::api

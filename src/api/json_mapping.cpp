#include "api/json_mapping.h"

namespace sanad::api {

nlohmann::json AreaJson(const geo::Area& a, const std::optional<std::string>& parent_code) {
  return {
      {"code", a.code},
      {"country", a.country},
      {"level", a.level},
      {"parent_code", OrNull(parent_code)},
      {"name_ar", a.name_ar},
      {"name_fr", a.name_fr},
      {"kind", OrNull(a.kind)},
      {"lat", OrNull(a.lat)},
      {"lon", OrNull(a.lon)},
      {"population", OrNull(a.population)},
      {"households", OrNull(a.households)},
      {"valid_from", a.valid_from == geo::kBeginningOfTime ? nlohmann::json(nullptr) : nlohmann::json(a.valid_from)},
      {"valid_to", a.valid_to == geo::kEndOfTime ? nlohmann::json(nullptr) : nlohmann::json(a.valid_to)}};
}

nlohmann::json UserJson(const auth::User& u) {
  nlohmann::json roles = nlohmann::json::array();
  for (auto r : u.roles) roles.push_back(std::string(auth::RoleName(r)));
  return {{"id", u.id.value},   {"username", u.username},    {"roles", roles}, {"area_code", OrNull(u.area_code)},
          {"active", u.active}, {"created_at", u.created_at}};
}

nlohmann::json AuditJson(const audit::AuditEntry& e) {
  nlohmann::json details = nlohmann::json::parse(e.details, nullptr, false);
  if (details.is_discarded()) details = e.details;
  return {{"id", e.id},
          {"at", e.at},
          {"user_id", OrNull(e.user_id)},
          {"username", e.username},
          {"action", e.action},
          {"record_type", e.record_type},
          {"record_id", e.record_id},
          {"ip", e.ip},
          {"request_id", e.request_id},
          {"details", details},
          {"hash", e.hash}};
}

}  // namespace sanad::api

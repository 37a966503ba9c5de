#include "api/services.h"

namespace sanad::api {

http::RouteTable BuildRoutes(Services& s) {
  http::RouteTable t;
  AddSystemRoutes(t, s);
  AddAuthRoutes(t, s);
  AddUserRoutes(t, s);
  AddAreaRoutes(t, s);
  AddAuditRoutes(t, s);
  return t;
}

void AuditRequest(Services& s, const http::Request& req, std::string action, std::string record_type,
                  std::string record_id, std::string details) {
  audit::AuditEntry e;
  if (req.principal) {
    e.user_id = req.principal->user.id.value;
    e.username = req.principal->user.username;
  }
  e.action = std::move(action);
  e.record_type = std::move(record_type);
  e.record_id = std::move(record_id);
  e.ip = req.remote_ip;
  e.request_id = req.request_id;
  e.details = std::move(details);
  (void)s.audit.Append(std::move(e));
}

}  // namespace sanad::api

#include "audit/verify_report.h"

#include "i18n/catalogue.h"

namespace sanad::audit {

std::string VerifyReasonText(const VerifyReport& report, i18n::Lang lang) {
  if (report.reason.empty()) return "";
  return i18n::Render(lang, report.reason, report.params).value_or(report.reason);
}

nlohmann::json VerifyReportJson(const VerifyReport& report) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : report.params) params[name] = value;
  return {
      {"ok", !report.broken()},
      {"checked", report.checked},
      {"first_broken_id", report.first_broken_id ? nlohmann::json(*report.first_broken_id) : nlohmann::json(nullptr)},
      {"reason", report.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.reason)},
      {"params", std::move(params)}};
}

}  // namespace sanad::audit

#include "api/eservice_json.h"

#include "api/json_mapping.h"

#include <algorithm>

namespace sanad::api {
namespace {}  // namespace

nlohmann::json StaffReportJson(const eservices::Report& r) {
  const auto& in = r.input;
  return {{"id", r.id},
          {"service_request_id", r.public_id},
          {"service_code", in.service},
          {"channel", in.channel},
          {"commune_code", in.commune_code},
          {"region_code", r.region_code},
          {"lat", OrNull(in.lat)},
          {"long", OrNull(in.lon)},
          {"description", in.description},
          {"apparent_state", OrNull(in.apparent_state)},
          {"immediate_danger", in.immediate_danger},
          {"topic", OrNull(in.topic)},
          {"counselling_channel", OrNull(in.counselling_channel)},
          {"preferred_times", OrNull(in.preferred_times)},
          {"white_army", in.white_army},
          {"counsellor_pool", OrNull(r.counsellor_pool)},
          {"contact_name", OrNull(in.contact_name)},
          {"contact_phone", OrNull(in.contact_phone)},
          {"contact_email", OrNull(in.contact_email)},
          {"status", r.status},
          {"unit_id", OrNull(r.unit_id)},
          {"unit_code", OrNull(r.unit_code)},
          {"dispatch", r.dispatch},
          {"ack_deadline", r.ack_deadline},
          {"acknowledged_at", OrNull(r.acknowledged_at)},
          {"acknowledged_by", OrNull(r.acknowledged_by)},
          {"escalated_at", OrNull(r.escalated_at)},
          {"over_limit", r.over_limit},
          {"duplicate_of", OrNull(r.duplicate_of)},
          {"entered_by", OrNull(r.entered_by)},
          {"case_ref", OrNull(r.case_ref)},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

nlohmann::json PublicReportJson(const eservices::ReportCases::PublicView& v,
                                const std::vector<eservices::Note>& public_notes) {
  const auto& r = v.report;
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& n : public_notes) {
    if (n.is_public) notes.push_back({{"body", n.body}, {"created_at", n.created_at}});
  }
  nlohmann::json out = {{"service_code", r.input.service},
                        {"commune_code", r.input.commune_code},
                        {"status", r.status},
                        {"acknowledged", r.acknowledged_at.has_value()},
                        {"received_at", r.created_at},
                        {"updated_at", r.updated_at},
                        {"notes", notes},
                        {"case", nullptr}};
  if (v.case_progress) {
    out["case"] = {{"status", v.case_progress->status},
                   {"stage", v.case_progress->stage},
                   {"stage_since", v.case_progress->stage_since}};
  }
  return out;
}

Result<eservices::ReportInput> ReadReportInput(const nlohmann::json& body) {
  http::ObjectReader r(body);
  eservices::ReportInput in;
  auto service = r.RequiredString("service_code", 40);
  if (!service) return std::unexpected(service.error());
  in.service = *service;
  auto commune = r.RequiredString("commune_code", 40);
  if (!commune) return std::unexpected(commune.error());
  in.commune_code = *commune;
  auto lat = r.OptionalNumber("lat", -90, 90);
  if (!lat) return std::unexpected(lat.error());
  in.lat = *lat;
  auto lon = r.OptionalNumber("long", -180, 180);
  if (!lon) return std::unexpected(lon.error());
  in.lon = *lon;
  auto description = r.OptionalString("description", 4000);
  if (!description) return std::unexpected(description.error());
  in.description = description->value_or("");
  auto danger = r.OptionalBool("immediate_danger");
  if (!danger) return std::unexpected(danger.error());
  in.immediate_danger = danger->value_or(false);
  auto white = r.OptionalBool("white_army");
  if (!white) return std::unexpected(white.error());
  in.white_army = white->value_or(false);
  for (auto [name, field, max] :
       {std::tuple{"apparent_state", &in.apparent_state, 400}, std::tuple{"topic", &in.topic, 200},
        std::tuple{"counselling_channel", &in.counselling_channel, 20},
        std::tuple{"preferred_times", &in.preferred_times, 400}, std::tuple{"contact_name", &in.contact_name, 200},
        std::tuple{"contact_phone", &in.contact_phone, 40}, std::tuple{"contact_email", &in.contact_email, 200}}) {
    auto v = r.OptionalString(name, static_cast<std::size_t>(max));
    if (!v) return std::unexpected(v.error());
    *field = *v;
    if (*field && field->value().empty()) field->reset();
  }
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return in;
}

eservices::Access AccessOf(const Services& s, const http::Request& req) {
  eservices::Access a;
  a.day = DateOf(s.clock.Now()).ToString();
  if (!req.principal) return a;
  const auto& user = req.principal->user;
  a.user_id = user.id.value;
  a.area = user.area_code;
  a.area_wide =
      std::any_of(user.roles.begin(), user.roles.end(), [](auth::Role r) { return r != auth::Role::kMobileUnit; });
  return a;
}

std::optional<int> TakeIntakeTokens(Services& s, const http::Request& req, const eservices::ReportInput& in) {
  std::optional<int> wait;
  if (s.report_address_limit) wait = s.report_address_limit->Take(req.remote_ip);
  if (in.contact_phone && s.report_phone_limit) {
    std::string digits;
    for (char c : *in.contact_phone) {
      if (c >= '0' && c <= '9') digits += c;
    }
    if (auto w = s.report_phone_limit->Take(digits)) wait = std::max(wait.value_or(0), *w);
  }
  return wait;
}

Result<eservices::Submitted> SubmitDurably(Services& s, http::Request& req, eservices::ReportInput in,
                                           bool over_limit) {
  if (!req.deferred) return s.eservices->Submit(std::move(in), over_limit, std::nullopt);
  auto complete = req.deferred->Add();
  auto sub = s.eservices->SubmitAsync(std::move(in), over_limit, [complete](Result<eservices::Report> r) {
    complete(r ? Ok() : Status(std::unexpected(r.error())));
  });
  if (!sub) complete(Ok());  // nothing was queued: the handler answers with the error itself
  return sub;
}

}  // namespace sanad::api

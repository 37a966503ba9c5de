// Trainings of the women's empowerment platform (src/empowerment/training*, docs/empowerment.md#trainings):
// sessions in the reader's area scope, women's enrolments (a seat or the waiting list), attendance per
// session day, certificates as PDF in Arabic or French, and the public check of a certificate's code.
// Reads naming women are audited, fail-closed.
#include <chrono>
#include <limits>

#include <nlohmann/json.hpp>

#include "api/empowerment_route_helpers.h"
#include "api/empowerment_training_routes.h"
#include "api/json_mapping.h"
#include "empowerment/certificate_pdf.h"
#include "empowerment/tracking_code.h"
#include "empowerment/training_store.h"

namespace sanad::api {
namespace {

using empowerment::TrainingStore;
using nlohmann::json;

json TrainingJson(const empowerment::TrainingRow& r) {
  const auto& t = r.training;
  json trainers = json::array();
  for (const auto& tr : t.trainers) trainers.push_back({{"name", tr.name}, {"username", OrNull(tr.username)}});
  return {{"id", r.id},
          {"topic", t.topic},
          {"title_ar", t.title_ar},
          {"title_fr", t.title_fr},
          {"title_en", OrNull(t.title_en)},
          {"trainers", trainers},
          {"capacity", t.capacity},
          {"commune_code", t.commune_code},
          {"address", OrNull(t.address)},
          {"online_link", OrNull(t.online_link)},
          {"starts_at", t.starts_at},
          {"ends_at", t.ends_at},
          {"days", t.days},
          {"days_to_complete", empowerment::DaysToComplete(static_cast<int>(t.days.size()))},
          {"registered", r.registered},
          {"waiting", r.waiting},
          {"completed", r.completed},
          {"seats_left", std::max<long long>(0, t.capacity - r.registered)},
          {"created_at", r.created_at},
          {"created_by", r.created_by}};
}

http::Response NotFound(std::int64_t id) {
  return http::ErrorResponse(
      Failure(Code::kNotFound, "empowerment.training_not_found", {{"id", std::to_string(id)}}, "id").error());
}

http::Response Create(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(training, empowerment::ReadTraining(*body));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(id, store.Create(*training, ScopeOf(actor), FormatTimestamp(s.clock.Now()), actor.username));
  TRY_OR_RESPOND(row, store.Get(*id, ScopeOf(actor)));
  if (!*row) return NotFound(*id);
  return http::JsonResponse(201, TrainingJson(**row).dump());
}

http::Response List(Services& s, TrainingStore& store, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(from, q.Date("from"));
  TRY_OR_RESPOND(to, q.Date("to"));
  TRY_OR_RESPOND(topic, q.OneOf("topic", {"digital_skills", "business_creation", "management", "other"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  empowerment::TrainingFilter filter;
  // starts_at is UTC; the calendar's days are Casablanca's (UTC+1): a day starts at 23:00 UTC the day before.
  if (*from) filter.from = empowerment::CasablancaDayStart(*ParseDate(**from));
  if (*to) {
    auto next = std::chrono::sys_days(std::chrono::year_month_day{std::chrono::year{ParseDate(**to)->year},
                                                                  std::chrono::month{ParseDate(**to)->month},
                                                                  std::chrono::day{ParseDate(**to)->day}}) +
                std::chrono::days{1};
    filter.to = empowerment::CasablancaDayStart(DateOf(TimePoint(next)));
  }
  filter.topic = *topic;
  TRY_OR_RESPOND(rows, store.List(ScopeOf(ActorOf(s, req)), filter));
  json items = json::array();
  for (const auto& r : *rows) items.push_back(TrainingJson(r));
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

http::Response Read(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto scope = ScopeOf(ActorOf(s, req));
  TRY_OR_RESPOND(row, store.Get(*id, scope));
  if (!*row) return NotFound(*id);
  TRY_OR_RESPOND(enrolments, store.Enrolments(*id, scope));
  json women = json::array(), ids = json::array();
  for (const auto& e : *enrolments) {
    json marks = json::object();
    for (const auto& [day, mark] : e.marks) marks[day] = mark;
    women.push_back({{"registration_id", e.registration_id},
                     {"given_name", e.given_name},
                     {"family_name", e.family_name},
                     {"status", e.status},
                     {"enrolled_at", e.enrolled_at},
                     {"cancelled_at", OrNull(e.cancelled_at)},
                     {"completed_on", OrNull(e.completed_on)},
                     {"attendance", marks}});
    ids.push_back(e.registration_id);
  }
  // The sheet names women: the read is audited with whom it showed, and refused if that cannot be written.
  if (auto st = AuditRequest(s, req, "view", "empowerment_training", std::to_string(*id), json{{"women", ids}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  json out = TrainingJson(**row);
  out["enrolments"] = std::move(women);
  return http::JsonResponse(200, out.dump());
}

Result<std::int64_t> RegistrationIdOf(const json& body) {
  http::ObjectReader r(body);
  auto id = r.OptionalInt("registration_id", 1, std::numeric_limits<long long>::max());
  if (!id) return std::unexpected(id.error());
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  if (!*id) return Failure(Code::kInvalidArgument, "field.required", {{"field", "registration_id"}}, "registration_id");
  return static_cast<std::int64_t>(**id);
}

http::Response Enrol(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(woman, RegistrationIdOf(*body));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(status, store.Enrol(*id, *woman, ScopeOf(actor), FormatTimestamp(s.clock.Now()), actor.username));
  if (auto st = AuditRequest(s, req, "enrol", "empowerment_registration", std::to_string(*woman),
                             json{{"training", *id}, {"status", *status}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, json{{"registration_id", *woman}, {"status", *status}}.dump());
}

http::Response Cancel(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(woman, http::PathId(req, "registration_id"));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(promoted, store.Cancel(*id, *woman, ScopeOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st = AuditRequest(s, req, "cancel_enrolment", "empowerment_registration", std::to_string(*woman),
                             json{{"training", *id}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"registration_id", *woman},
                                      {"status", "cancelled"},
                                      {"promoted", *promoted ? json(**promoted) : json(nullptr)}}
                                     .dump());
}

http::Response Attendance(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(day, r.RequiredString("day", 10));
  TRY_OR_RESPOND(list, r.RequiredArray("marks", empowerment::kMaxCapacity));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  std::vector<empowerment::AttendanceMark> marks;
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    const json& m = (**list)[i];
    const std::string at = "marks[" + std::to_string(i) + "]";
    if (!m.is_object()) {
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.not_object", {{"field", at}}, at).error());
    }
    http::ObjectReader mr(m, at + ".");
    TRY_OR_RESPOND(woman, mr.OptionalInt("registration_id", 1, std::numeric_limits<long long>::max()));
    TRY_OR_RESPOND(mark, mr.RequiredString("mark", 10));
    if (auto st = mr.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    if (!*woman) {
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", at + ".registration_id"}},
                                         at + ".registration_id")
                                     .error());
    }
    if (*mark != "present" && *mark != "absent" && *mark != "excused") {
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "empowerment.bad_choice",
                                         {{"field", at + ".mark"}, {"value", *mark}}, at + ".mark")
                                     .error());
    }
    for (const auto& earlier : marks) {
      if (earlier.registration_id == **woman) {
        return http::ErrorResponse(Failure(Code::kInvalidArgument, "empowerment.duplicate_item",
                                           {{"value", std::to_string(**woman)}, {"field", "marks"}},
                                           at + ".registration_id")
                                       .error());
      }
    }
    marks.push_back({**woman, *mark});
  }
  const auto actor = ActorOf(s, req);
  if (auto st =
          store.RecordAttendance(*id, ScopeOf(actor), *day, marks, FormatTimestamp(s.clock.Now()), actor.username);
      !st)
    return http::ErrorResponse(st.error());
  if (auto st = AuditRequest(s, req, "attendance", "empowerment_training", std::to_string(*id),
                             json{{"day", *day}, {"marks", marks.size()}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return Read(s, store, req);
}

std::string Joined(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  std::string out = a.value_or("");
  if (b && !b->empty()) out += (out.empty() ? "" : " ") + *b;
  return out;
}

http::Response Certificate(Services& s, TrainingStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(woman, http::PathId(req, "registration_id"));
  http::QueryReader q(req);
  TRY_OR_RESPOND(lang, q.OneOf("lang", {"ar", "fr"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const std::string language = lang->value_or("ar");
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(subject, store.Subject(*id, *woman, ScopeOf(actor)));
  if (!*subject) {
    return http::ErrorResponse(
        Failure(Code::kNotFound, "empowerment.not_enrolled", {{"id", std::to_string(*woman)}}, "registration_id")
            .error());
  }
  const auto& sub = **subject;
  if (sub.status != "completed" || !sub.completed_on) {
    return http::ErrorResponse(Failure(Code::kFailedPrecondition, "empowerment.training_not_completed",
                                       {{"id", std::to_string(*woman)}}, "registration_id")
                                   .error());
  }
  const auto& t = sub.training.training;
  // Her name in the certificate's script when she gave it so, else in the one she gave.
  const std::string arabic = Joined(sub.given_ar, sub.family_ar), latin = Joined(sub.given_lat, sub.family_lat);
  const std::string name = language == "ar" ? (arabic.empty() ? latin : arabic) : (latin.empty() ? arabic : latin);
  const std::string code = empowerment::NewTrackingCode();
  empowerment::CertificateText text{language,
                                    name,
                                    language == "ar" ? t.title_ar : t.title_fr,
                                    t.topic,
                                    t.days.empty() ? "" : t.days.front(),
                                    t.days.empty() ? "" : t.days.back(),
                                    *sub.completed_on,
                                    code,
                                    "/api/v1/public/empowerment/certificates/" + code};
  TRY_OR_RESPOND(pdf, empowerment::RenderCertificatePdf(text));
  // The code is kept only as its hash, and the PDF is handed out only once it is stored.
  if (auto st = store.AddCertificate(sub.enrolment_id, empowerment::TrackingCodeHash(code), language,
                                     FormatTimestamp(s.clock.Now()), actor.username);
      !st)
    return http::ErrorResponse(st.error());
  if (auto st = AuditRequest(s, req, "certificate", "empowerment_registration", std::to_string(*woman),
                             json{{"training", *id}, {"lang", language}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  http::Response resp;
  resp.status = 200;
  resp.content_type = "application/pdf";
  resp.body = std::move(*pdf);
  // The code printed on it, for the office's records (it is not kept in clear anywhere).
  resp.Header("Sanad-Verification-Code", code);
  resp.Header("Content-Disposition", "attachment; filename=\"certificate-" + std::to_string(*id) + "-" +
                                         std::to_string(*woman) + "-" + language + ".pdf\"");
  return resp;
}

http::Response PublicCheck(TrainingStore& store, http::Request& req) {
  auto unknown = [] {
    return http::ErrorResponse(Failure(Code::kNotFound, "empowerment.certificate_unknown", {}, "code").error());
  };
  const auto canonical = empowerment::NormaliseTrackingCode(req.Param("code"));
  if (!canonical) return unknown();
  TRY_OR_RESPOND(found, store.FindCertificate(empowerment::TrackingCodeHash(*canonical)));
  if (!*found) return unknown();
  const auto& c = **found;
  return http::JsonResponse(200, json{{"valid", true},
                                      {"topic", c.topic},
                                      {"title_ar", c.title_ar},
                                      {"title_fr", c.title_fr},
                                      {"title_en", OrNull(c.title_en)},
                                      {"first_day", c.first_day},
                                      {"last_day", c.last_day},
                                      {"completed_on", c.completed_on},
                                      {"issued_at", c.issued_at},
                                      {"initials", c.initials}}
                                     .dump());
}

}  // namespace

void AddEmpowermentTrainingRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto store = std::make_shared<TrainingStore>(s.db);
  t.push_back({"GET", "/api/v1/empowerment/trainings", P::kEmpowermentRead,
               [&s, store](http::Request& req) { return List(s, *store, req); }});
  t.push_back({"POST", "/api/v1/empowerment/trainings", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return Create(s, *store, req); }});
  t.push_back({"GET", "/api/v1/empowerment/trainings/:id", P::kEmpowermentRead,
               [&s, store](http::Request& req) { return Read(s, *store, req); }});
  t.push_back({"POST", "/api/v1/empowerment/trainings/:id/enrolments", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return Enrol(s, *store, req); }});
  t.push_back({"DELETE", "/api/v1/empowerment/trainings/:id/enrolments/:registration_id", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return Cancel(s, *store, req); }});
  t.push_back({"PUT", "/api/v1/empowerment/trainings/:id/attendance", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return Attendance(s, *store, req); }});
  t.push_back({"GET", "/api/v1/empowerment/trainings/:id/certificates/:registration_id.pdf", P::kEmpowermentRead,
               [&s, store](http::Request& req) { return Certificate(s, *store, req); }});
  // Public: anyone holding a certificate may check it; limited like the tracking codes, so that codes
  // cannot be tried in bulk.
  http::Route check{"GET", "/api/v1/public/empowerment/certificates/:code", P::kPublic,
                    [store](http::Request& req) { return PublicCheck(*store, req); }};
  check.limit = std::make_shared<http::RateLimiter>(60, 20);
  t.push_back(std::move(check));
  AddEmpowermentVisitRoutes(t, s);
  AddEmpowermentFiguresRoutes(t, s);
  AddEmpowermentFileRoutes(t, s);
}

}  // namespace sanad::api

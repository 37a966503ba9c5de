// Family counselling (src/counselling, docs/counselling.md; issue 11 §4): counsellors and their weekly
// availability and leave (coordinators within their area, administrators), the bookable slots, the
// pending counselling requests of a pool with their clients' no-shows, the counsellor's own calendar,
// and the notification outbox. Bookings and sessions are in counselling_booking_routes.cpp. Every
// answer that names clients is audited before it leaves (fail-closed).
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/counselling_route_helpers.h"
#include "api/eservice_json.h"
#include "counselling/slots.h"

namespace sanad::api {
namespace counselling_routes {

using nlohmann::json;

std::string FullName(const counselling::Counsellor& c) { return c.given_name + " " + c.family_name; }

json CounsellorJson(const counselling::Counsellor& c) {
  json availability = json::array();
  for (const auto& a : c.availability)
    availability.push_back(
        {{"weekday", a.weekday}, {"starts", a.starts}, {"ends", a.ends}, {"slot_minutes", a.slot_minutes}});
  return {{"id", c.id},
          {"user_id", c.user_id},
          {"username", c.username},
          {"given_name", c.given_name},
          {"family_name", c.family_name},
          {"specialties", c.specialties},
          {"languages", c.languages},
          {"pool", c.pool},
          {"area_code", c.area_code},
          {"active", c.active},
          {"availability", availability},
          {"leave_days", c.leave_days},
          {"version", c.version}};
}

json BookingJson(const counselling::Booking& b) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  return {{"id", b.id},
          {"counsellor_id", b.counsellor_id},
          {"slot_start", b.slot_start},
          {"slot_end", b.slot_end},
          {"area_code", b.area_code},
          {"request_id", b.request_id ? json(*b.request_id) : json()},
          {"client_name", opt(b.client_name)},
          {"client_phone", opt(b.client_phone)},
          {"client_email", opt(b.client_email)},
          {"client_language", b.client_language},
          {"channel", b.channel},
          {"status", b.status},
          {"rescheduled_from", b.rescheduled_from ? json(*b.rescheduled_from) : json()},
          {"booked_at", b.booked_at},
          {"booked_by", b.booked_by},
          {"cancelled_at", opt(b.cancelled_at)},
          {"cancel_reason", opt(b.cancel_reason)},
          {"recorded_at", opt(b.recorded_at)},
          {"recorded_by", opt(b.recorded_by)},
          {"version", b.version}};
}

Result<counselling::Counsellor> VisibleCounsellor(Services& s, std::int64_t id, const registry::Actor& actor,
                                                  const std::string& field) {
  auto c = s.counselling->Get(id, AccessOf(actor));
  if (!c) return std::unexpected(c.error());
  if (!*c) return Failure(Code::kNotFound, "counselling.counsellor_not_found", {{"id", std::to_string(id)}}, field);
  return **c;
}

Result<counselling::Slot> CheckSlot(const Services& s, const counselling::Counsellor& c, const std::string& text,
                                    const std::string& field) {
  auto start = ParseTimestamp(text);
  counselling::Slot slot;
  if (!start || !counselling::IsSlotStart(c.availability, c.leave_days, *start, &slot))
    return Failure(Code::kInvalidArgument, "counselling.not_a_slot", {{"slot", text}}, field);
  if (slot.start < s.clock.Now())
    return Failure(Code::kInvalidArgument, "counselling.slot_past", {{"slot", text}}, field);
  return slot;
}

Result<std::pair<TimePoint, TimePoint>> ReadWindow(const Services& s, http::QueryReader& q) {
  auto from = q.Date("from");
  if (!from) return std::unexpected(from.error());
  auto to = q.Date("to");
  if (!to) return std::unexpected(to.error());
  // Local midnight is 23:00 UTC the day before (UTC+1).
  auto midnight = [](const std::string& day) {
    return ParseTimestamp(day + "T00:00:00Z").value() - counselling::kLocalOffset;
  };
  const TimePoint start = midnight(from->value_or(counselling::LocalDay(s.clock.Now())));
  const TimePoint end = *to ? midnight(**to) : start + std::chrono::days(7);
  if (end <= start || end - start > std::chrono::days(31))
    return Failure(Code::kInvalidArgument, "counselling.bad_range", {}, "to");
  return std::pair{start, end};
}

}  // namespace counselling_routes

namespace {

using namespace counselling_routes;
using nlohmann::json;

// Reads the fields of a counsellor (create: all; update: all but the account).
Result<counselling::Counsellor> ReadCounsellor(http::ObjectReader& r) {
  counselling::Counsellor c;
  auto given = r.RequiredString("given_name", 100);
  if (!given) return std::unexpected(given.error());
  auto family = r.RequiredString("family_name", 100);
  if (!family) return std::unexpected(family.error());
  auto specialties = r.StringArray("specialties", true, 10);
  if (!specialties) return std::unexpected(specialties.error());
  auto languages = r.StringArray("languages", true, 10);
  if (!languages) return std::unexpected(languages.error());
  auto pool = r.RequiredString("pool", 20);
  if (!pool) return std::unexpected(pool.error());
  auto area = r.RequiredString("area_code", 40);
  if (!area) return std::unexpected(area.error());
  auto active = r.OptionalBool("active");
  if (!active) return std::unexpected(active.error());
  if (given->empty()) return Failure(Code::kInvalidArgument, "field.required", {{"field", "given_name"}}, "given_name");
  if (family->empty())
    return Failure(Code::kInvalidArgument, "field.required", {{"field", "family_name"}}, "family_name");
  for (std::size_t i = 0; i < specialties->size(); ++i)
    if (!counselling::IsOneOf((*specialties)[i], counselling::kSpecialties))
      return Failure(Code::kInvalidArgument, "counselling.bad_specialty", {{"value", (*specialties)[i]}},
                     fmt::format("specialties/{}", i));
  for (std::size_t i = 0; i < languages->size(); ++i)
    if (!counselling::IsOneOf((*languages)[i], counselling::kLanguages))
      return Failure(Code::kInvalidArgument, "counselling.bad_language", {{"value", (*languages)[i]}},
                     fmt::format("languages/{}", i));
  if (!counselling::IsOneOf(*pool, counselling::kPools))
    return Failure(Code::kInvalidArgument, "counselling.bad_pool", {{"value", *pool}}, "pool");
  c.given_name = *given;
  c.family_name = *family;
  c.specialties = *specialties;
  c.languages = *languages;
  c.pool = *pool;
  c.area_code = *area;
  c.active = active->value_or(true);
  return c;
}

http::Response CreateCounsellor(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(username, r.RequiredString("username", 100));
  TRY_OR_RESPOND(c, ReadCounsellor(r));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(created, s.counselling->Create(*c, *username, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st = AuditRequest(s, req, "create", "counsellor", std::to_string(created->id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, CounsellorJson(*created).dump());
}

http::Response UpdateCounsellor(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(c, ReadCounsellor(r));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(updated, s.counselling->Update(*id, *c, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st = AuditRequest(s, req, "update", "counsellor", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, CounsellorJson(*updated).dump());
}

http::Response SetAvailability(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(lines, r.RequiredArray("lines", 50));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  std::vector<counselling::Availability> out;
  for (std::size_t i = 0; i < (*lines)->size(); ++i) {
    const auto& item = (**lines)[i];
    const std::string at = fmt::format("lines/{}", i);
    if (!item.is_object())
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.not_object", {{"field", "lines"}}, at).error());
    http::ObjectReader l(item, at + "/");
    TRY_OR_RESPOND(weekday, l.OptionalInt("weekday", 0, 6));
    TRY_OR_RESPOND(starts, l.RequiredString("starts", 5));
    TRY_OR_RESPOND(ends, l.RequiredString("ends", 5));
    TRY_OR_RESPOND(minutes, l.OptionalInt("slot_minutes", counselling::kMinSlotMinutes, counselling::kMaxSlotMinutes));
    if (auto st = l.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    if (!*weekday)
      return http::ErrorResponse(
          Failure(Code::kInvalidArgument, "field.required", {{"field", "weekday"}}, at + "/weekday").error());
    counselling::Availability a{static_cast<int>(**weekday), *starts, *ends, static_cast<int>(minutes->value_or(60))};
    if (auto fault = counselling::AvailabilityFault(a))
      return http::ErrorResponse(Failure(Code::kInvalidArgument, *fault, {}, at).error());
    out.push_back(a);
  }
  const auto actor = ActorOf(s, req);
  if (auto st = s.counselling->SetAvailability(*id, out, AccessOf(actor), FormatTimestamp(s.clock.Now())); !st)
    return http::ErrorResponse(st.error());
  if (auto st = AuditRequest(s, req, "availability", "counsellor", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(c, VisibleCounsellor(s, *id, actor, "id"));
  return http::JsonResponse(200, CounsellorJson(*c).dump());
}

http::Response SetLeave(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(day, r.RequiredString("day", 10));
  TRY_OR_RESPOND(reason, r.OptionalString("reason", 200));
  TRY_OR_RESPOND(remove, r.OptionalBool("remove"));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (auto d = ParseDate(*day, "day"); !d) return http::ErrorResponse(d.error());
  const auto actor = ActorOf(s, req);
  if (auto st = s.counselling->SetLeave(*id, *day, *reason, remove->value_or(false), AccessOf(actor)); !st)
    return http::ErrorResponse(st.error());
  if (auto st = AuditRequest(s, req, "leave", "counsellor", std::to_string(*id), json{{"day", *day}}.dump()); !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(c, VisibleCounsellor(s, *id, actor, "id"));
  return http::JsonResponse(200, CounsellorJson(*c).dump());
}

http::Response ListCounsellors(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(pool, q.OneOf("pool", {"family", "white_army"}));
  TRY_OR_RESPOND(language, q.OneOf("language", {"ar", "fr", "amazigh", "en"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  counselling::CounsellorFilter f;
  f.pool = *pool;
  f.language = *language;
  TRY_OR_RESPOND(list, s.counselling->List(f, AccessOf(ActorOf(s, req))));
  json items = json::array();
  for (const auto& c : *list) items.push_back(CounsellorJson(c));
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

json SlotsJson(const std::vector<counselling::Slot>& slots) {
  json out = json::array();
  for (const auto& sl : slots) out.push_back({{"start", FormatTimestamp(sl.start)}, {"end", FormatTimestamp(sl.end)}});
  return out;
}

Result<std::vector<counselling::Slot>> FreeSlots(Services& s, const counselling::Counsellor& c, TimePoint from,
                                                 TimePoint to) {
  auto booked = s.counselling->LiveStarts(c.id, FormatTimestamp(from), FormatTimestamp(to));
  if (!booked) return std::unexpected(booked.error());
  return counselling::ComputeSlots(c.availability, c.leave_days, *booked, from, to, s.clock.Now());
}

// Free slots of the active counsellors in scope that match the pool, language and counsellor asked.
http::Response Slots(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(window, ReadWindow(s, q));
  TRY_OR_RESPOND(pool, q.OneOf("pool", {"family", "white_army"}));
  TRY_OR_RESPOND(language, q.OneOf("language", {"ar", "fr", "amazigh", "en"}));
  TRY_OR_RESPOND(counsellor, q.String("counsellor", 20));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  counselling::CounsellorFilter f;
  f.pool = *pool;
  f.language = *language;
  f.active_only = true;
  if (*counsellor) {
    try {
      f.id = std::stoll(**counsellor);
    } catch (const std::exception&) {
      return http::ErrorResponse(
          Failure(Code::kInvalidArgument, "counselling.counsellor_not_found", {{"id", **counsellor}}, "counsellor")
              .error());
    }
  }
  TRY_OR_RESPOND(list, s.counselling->List(f, AccessOf(ActorOf(s, req))));
  json items = json::array();
  for (const auto& c : *list) {
    TRY_OR_RESPOND(free, FreeSlots(s, c, window->first, window->second));
    items.push_back({{"counsellor_id", c.id},
                     {"name", FullName(c)},
                     {"pool", c.pool},
                     {"languages", c.languages},
                     {"specialties", c.specialties},
                     {"slots", SlotsJson(*free)}});
  }
  return http::JsonResponse(
      200,
      json{{"from", FormatTimestamp(window->first)}, {"to", FormatTimestamp(window->second)}, {"items", items}}.dump());
}

// The caller's own week: their free slots and their bookings (clients' names: audited).
http::Response Calendar(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(window, ReadWindow(s, q));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(own, s.counselling->OfUser(req.principal->user.id.value));
  if (!*own) return http::ErrorResponse(Failure(Code::kNotFound, "counselling.not_a_counsellor").error());
  const auto& c = **own;
  TRY_OR_RESPOND(free, FreeSlots(s, c, window->first, window->second));
  counselling::BookingFilter f{c.id, FormatTimestamp(window->first), FormatTimestamp(window->second), false};
  // The counsellor's own bookings, whatever the area they were booked from.
  TRY_OR_RESPOND(bookings, s.counselling->Bookings(f, counselling::Access{}));
  json items = json::array(), ids = json::array();
  for (const auto& b : *bookings) {
    items.push_back(BookingJson(b));
    ids.push_back(b.id);
  }
  if (auto st = AuditRequest(s, req, "search", "counselling_booking", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"counsellor", CounsellorJson(c)},
                                      {"from", FormatTimestamp(window->first)},
                                      {"to", FormatTimestamp(window->second)},
                                      {"slots", SlotsJson(*free)},
                                      {"bookings", items}}
                                     .dump());
}

// Pending counselling requests of a pool (e-services) with each client's no-shows and live booking.
http::Response PendingRequests(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(pool, q.OneOf("pool", {"family", "white_army"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(reports, s.eservices->store().PoolQueue(pool->value_or("family"), api::AccessOf(s, req), 200));
  std::vector<std::int64_t> ids;
  for (const auto& r : *reports) ids.push_back(r.id);
  TRY_OR_RESPOND(summaries, s.counselling->RequestSummaries(ids));
  json items = json::array();
  for (const auto& r : *reports) {
    const auto& sum = (*summaries)[r.id];
    auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
    items.push_back({{"id", r.id},
                     {"status", r.status},
                     {"commune_code", r.input.commune_code},
                     {"topic", opt(r.input.topic)},
                     {"channel", opt(r.input.counselling_channel)},
                     {"preferred_times", opt(r.input.preferred_times)},
                     {"white_army", r.input.white_army},
                     {"contact_name", opt(r.input.contact_name)},
                     {"contact_phone", opt(r.input.contact_phone)},
                     {"created_at", r.created_at},
                     {"no_shows", sum.no_shows},
                     {"booking_id", sum.live_booking ? json(*sum.live_booking) : json()},
                     {"booking_slot", opt(sum.live_slot)}});
  }
  if (auto st = AuditRequest(s, req, "search", "eservice_report", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

http::Response Outbox(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(status, q.OneOf("status", {"pending", "sent", "failed"}));
  TRY_OR_RESPOND(limit, q.Int("limit", 100, 1, 500));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(list, s.counselling_outbox->List(*status, *limit));
  json items = json::array(), ids = json::array();
  for (const auto& m : *list) {
    json params = json::object();
    for (const auto& [k, v] : m.params) params[k] = v;
    items.push_back({{"id", m.id},
                     {"booking_id", m.booking_id ? json(*m.booking_id) : json()},
                     {"kind", m.kind},
                     {"channel", m.channel},
                     {"recipient", m.recipient},
                     {"language", m.language},
                     {"message_code", m.message_code},
                     {"params", params},
                     {"status", m.status},
                     {"attempts", m.attempts},
                     {"next_attempt_at", m.next_attempt_at},
                     {"last_error", m.last_error ? json(*m.last_error) : json()},
                     {"created_at", m.created_at},
                     {"sent_at", m.sent_at ? json(*m.sent_at) : json()}});
    ids.push_back(m.id);
  }
  // Recipients are clients' phone numbers and addresses.
  if (auto st = AuditRequest(s, req, "search", "counselling_outbox", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

json JobJson(const jobs::JobRecord& j) {
  return {{"id", j.id}, {"status", std::string(jobs::StateName(j.state))}, {"result", j.result ? *j.result : json()}};
}

}  // namespace

void AddCounsellingBookingRoutes(http::RouteTable& t, Services& s);

void AddCounsellingRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  const std::string base = "/api/v1/counselling";
  t.push_back({"GET", base + "/counsellors", P::kCounsellingRead,
               [&s](http::Request& req) { return ListCounsellors(s, req); }});
  t.push_back({"POST", base + "/counsellors", P::kCounsellingManage,
               [&s](http::Request& req) { return CreateCounsellor(s, req); }});
  t.push_back({"GET", base + "/counsellors/:id", P::kCounsellingRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(c, VisibleCounsellor(s, *id, ActorOf(s, req), "id"));
                 return http::JsonResponse(200, CounsellorJson(*c).dump());
               }});
  t.push_back({"PUT", base + "/counsellors/:id", P::kCounsellingManage,
               [&s](http::Request& req) { return UpdateCounsellor(s, req); }});
  t.push_back({"PUT", base + "/counsellors/:id/availability", P::kCounsellingManage,
               [&s](http::Request& req) { return SetAvailability(s, req); }});
  t.push_back({"POST", base + "/counsellors/:id/leave", P::kCounsellingManage,
               [&s](http::Request& req) { return SetLeave(s, req); }});
  t.push_back({"GET", base + "/slots", P::kCounsellingRead, [&s](http::Request& req) { return Slots(s, req); }});
  t.push_back({"GET", base + "/calendar", P::kCounsellingRead, [&s](http::Request& req) { return Calendar(s, req); }});
  t.push_back(
      {"GET", base + "/requests", P::kCounsellingRead, [&s](http::Request& req) { return PendingRequests(s, req); }});
  t.push_back({"GET", base + "/outbox", P::kCounsellingManage, [&s](http::Request& req) { return Outbox(s, req); }});
  t.push_back({"POST", base + "/outbox/deliver", P::kCounsellingManage, [&s](http::Request& req) {
                 const auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(job, s.counselling_delivery->Start(actor.user_id, actor.username));
                 return http::JsonResponse(202, JobJson(*job).dump());
               }});
  t.push_back(
      {"GET", base + "/outbox/deliver/:id", P::kCounsellingManage, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(job, s.counselling_delivery->Get(*id));
         if (!*job)
           return http::ErrorResponse(
               Failure(Code::kNotFound, "counselling.delivery_not_found", {{"id", std::to_string(*id)}}, "id").error());
         return http::JsonResponse(200, JobJson(**job).dump());
       }});
  AddCounsellingBookingRoutes(t, s);
}

}  // namespace sanad::api

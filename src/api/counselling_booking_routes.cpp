// Bookings of counselling slots (docs/counselling.md#bookings): book a slot for an e-service
// counselling request or a walk-in, list them (the calendar), read one with the client's no-shows and
// the session notes, cancel, reschedule, record the session (attended / no-show) and write confidential
// session notes, sealed with the configured key under the booking's own context so that they never
// open as case notes. Only the booking's counsellor writes and reads its notes. Two requests for one
// slot: the store's unique index lets one through; the other is 409 counselling.slot_taken.
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/counselling_route_helpers.h"
#include "api/eservice_json.h"
#include "counselling/outbox.h"

namespace sanad::api {
namespace {

using namespace counselling_routes;
using nlohmann::json;

bool Holds(const http::Request& req, auth::Permission p) {
  return req.principal && auth::Grants(req.principal->user.roles, p);
}

// The caller is the counsellor of this booking.
Result<bool> IsOwnBooking(Services& s, const http::Request& req, const counselling::Booking& b) {
  auto own = s.counselling->OfUser(req.principal->user.id.value);
  if (!own) return std::unexpected(own.error());
  return *own && (*own)->id == b.counsellor_id;
}

Result<counselling::Booking> VisibleBooking(Services& s, std::int64_t id, const registry::Actor& actor) {
  auto b = s.counselling->GetBooking(id, AccessOf(actor));
  if (!b) return std::unexpected(b.error());
  if (!*b) return Failure(Code::kNotFound, "counselling.booking_not_found", {{"id", std::to_string(id)}}, "id");
  return **b;
}

http::Response Book(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(counsellor_id, r.OptionalInt("counsellor_id", 1, std::numeric_limits<long long>::max()));
  TRY_OR_RESPOND(slot_text, r.RequiredString("slot_start", 40));
  TRY_OR_RESPOND(request_id, r.OptionalInt("request_id", 1, std::numeric_limits<long long>::max()));
  TRY_OR_RESPOND(name, r.OptionalString("client_name", 200));
  TRY_OR_RESPOND(phone, r.OptionalString("client_phone", 40));
  TRY_OR_RESPOND(email, r.OptionalString("client_email", 200));
  TRY_OR_RESPOND(language, r.OptionalString("language", 5));
  TRY_OR_RESPOND(channel, r.OptionalString("channel", 20));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*counsellor_id)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "counsellor_id"}}, "counsellor_id").error());
  if (*language && !counselling::IsOneOf(**language, counselling::kMessageLanguages))
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "counselling.bad_language", {{"value", **language}}, "language").error());
  if (*channel && !counselling::IsOneOf(**channel, counselling::kChannels))
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "counselling.bad_channel", {{"value", **channel}}, "channel").error());
  const auto actor = ActorOf(s, req);
  counselling::Booking b;
  std::optional<std::string> request_pool;
  std::string request_status;
  b.counsellor_id = **counsellor_id;
  b.client_language = language->value_or("ar");
  if (*request_id) {
    // An e-service counselling request the caller may see: its contact and preferred channel.
    const auto access = api::AccessOf(s, req);
    TRY_OR_RESPOND(report, s.eservices->store().Get(**request_id, access));
    if (!*report)
      return http::ErrorResponse(Failure(Code::kNotFound, "counselling.request_not_found",
                                         {{"id", std::to_string(**request_id)}}, "request_id")
                                     .error());
    const auto& in = (*report)->input;
    if (in.service != "family_counselling")
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "counselling.not_counselling_request",
                                         {{"id", std::to_string(**request_id)}}, "request_id")
                                     .error());
    // One live booking per request, with a counsellor of the request's pool.
    TRY_OR_RESPOND(summaries, s.counselling->RequestSummaries({**request_id}));
    if (const auto& sum = (*summaries)[**request_id]; sum.live_booking)
      return http::ErrorResponse(Failure(Code::kConflict, "counselling.request_booked",
                                         {{"id", std::to_string(*sum.live_booking)}}, "request_id")
                                     .error());
    request_pool = (*report)->counsellor_pool;
    request_status = (*report)->status;
    b.request_id = **request_id;
    b.client_name = *name ? *name : in.contact_name;
    b.client_phone = *phone ? *phone : in.contact_phone;
    b.client_email = *email ? *email : in.contact_email;
    b.channel = channel->value_or(in.counselling_channel.value_or("phone"));
  } else {
    if (!*name || name->value().empty() || !*phone || phone->value().empty())
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "counselling.client_required", {},
                                         !*name || name->value().empty() ? "client_name" : "client_phone")
                                     .error());
    b.client_name = *name;
    b.client_phone = *phone;
    b.client_email = *email;
    b.channel = channel->value_or("in_person");
  }
  TRY_OR_RESPOND(c, VisibleCounsellor(s, b.counsellor_id, actor, "counsellor_id"));
  if (!c->active)
    return http::ErrorResponse(
        Failure(Code::kFailedPrecondition, "counselling.inactive", {{"id", std::to_string(c->id)}}, "counsellor_id")
            .error());
  if (request_pool && *request_pool != c->pool)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "counselling.wrong_pool", {{"value", *request_pool}}, "counsellor_id").error());
  TRY_OR_RESPOND(slot, CheckSlot(s, *c, *slot_text, "slot_start"));
  b.slot_start = FormatTimestamp(slot->start);
  b.slot_end = FormatTimestamp(slot->end);
  const auto messages = counselling::BookingMessages("confirmation", b, FullName(*c));
  const std::string now = FormatTimestamp(s.clock.Now());
  TRY_OR_RESPOND(booked, s.counselling->Book(b, messages, AccessOf(actor), now));
  if (b.request_id && (request_status == "received" || request_status == "acknowledged")) {
    // The request is being handled: acknowledged and in progress on the citizen's status page (a
    // request already further along keeps its status).
    TRY_OR_RESPOND(moved, s.eservices->store().SetStatus(*b.request_id, api::AccessOf(s, req), "in_progress",
                                                         std::nullopt, now, actor.username));
  }
  if (auto st = AuditRequest(s, req, "create", "counselling_booking", std::to_string(booked->id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, BookingJson(*booked).dump());
}

http::Response ListBookings(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(window, ReadWindow(s, q));
  TRY_OR_RESPOND(counsellor, q.Int("counsellor", 0, 0, std::numeric_limits<int>::max()));
  TRY_OR_RESPOND(cancelled, q.OneOf("cancelled", {"true", "false"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  counselling::BookingFilter f;
  if (*counsellor > 0) f.counsellor_id = *counsellor;
  f.from = FormatTimestamp(window->first);
  f.to = FormatTimestamp(window->second);
  f.include_cancelled = *cancelled && **cancelled == "true";
  TRY_OR_RESPOND(list, s.counselling->Bookings(f, AccessOf(ActorOf(s, req))));
  json items = json::array(), ids = json::array();
  for (const auto& b : *list) {
    items.push_back(BookingJson(b));
    ids.push_back(b.id);
  }
  if (auto st = AuditRequest(s, req, "search", "counselling_booking", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

// One booking with the client's no-shows and the session notes: opened for the booking's counsellor
// only; everyone else sees that notes exist, not their text.
http::Response GetBooking(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(b, VisibleBooking(s, *id, actor));
  TRY_OR_RESPOND(no_shows, s.counselling->NoShows(b->request_id, b->client_phone));
  TRY_OR_RESPOND(notes, s.counselling->Notes(*id));
  TRY_OR_RESPOND(own, IsOwnBooking(s, req, *b));
  json note_items = json::array();
  long long opened = 0;
  for (const auto& n : *notes) {
    json j{{"id", n.id}, {"written_at", n.written_at}, {"written_by", n.written_by}, {"text", nullptr}};
    if (*own && s.case_notes) {
      auto text = s.case_notes->Open(std::string_view(counselling::SessionNoteContext(*id)), n.sealed);
      if (!text) return http::ErrorResponse(text.error());
      j["text"] = *text;
      ++opened;
    }
    j["readable"] = !j["text"].is_null();
    note_items.push_back(std::move(j));
  }
  if (auto st = AuditRequest(s, req, "view", "counselling_booking", std::to_string(*id),
                             json{{"session_notes_opened", opened}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  json out = BookingJson(*b);
  out["client_no_shows"] = *no_shows;
  out["notes"] = note_items;
  out["may_read_notes"] = *own;
  return http::JsonResponse(200, out.dump());
}

http::Response Cancel(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(reason, r.OptionalString("reason", 500));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(b, VisibleBooking(s, *id, actor));
  TRY_OR_RESPOND(c, VisibleCounsellor(s, b->counsellor_id, actor, "id"));
  const auto messages = counselling::BookingMessages("cancellation", *b, FullName(*c));
  TRY_OR_RESPOND(done, s.counselling->Cancel(*id, *reason, messages, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st = AuditRequest(s, req, "cancel", "counselling_booking", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, BookingJson(*done).dump());
}

// The same client, counsellor and channel at another free slot: the old booking is cancelled and the
// new one booked in one transaction (a cancellation of the old time, a confirmation of the new one).
http::Response Reschedule(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(slot_text, r.RequiredString("slot_start", 40));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(b, VisibleBooking(s, *id, actor));
  TRY_OR_RESPOND(c, VisibleCounsellor(s, b->counsellor_id, actor, "id"));
  TRY_OR_RESPOND(slot, CheckSlot(s, *c, *slot_text, "slot_start"));
  counselling::Booking moved = *b;
  moved.id = 0;
  moved.slot_start = FormatTimestamp(slot->start);
  moved.slot_end = FormatTimestamp(slot->end);
  auto messages = counselling::BookingMessages("cancellation", *b, FullName(*c));
  for (auto& m : counselling::BookingMessages("confirmation", moved, FullName(*c))) messages.push_back(std::move(m));
  // Messages are attached to the new booking (the store sets their booking).
  TRY_OR_RESPOND(done,
                 s.counselling->Reschedule(*id, moved, messages, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st =
          AuditRequest(s, req, "reschedule", "counselling_booking", std::to_string(*id), json{{"to", done->id}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, BookingJson(*done).dump());
}

// attended | no_show, by the booking's counsellor or a manager, once the slot has begun.
http::Response RecordSession(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(status, r.RequiredString("status", 20));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (*status != "attended" && *status != "no_show")
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "counselling.bad_status", {{"value", *status}}, "status").error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(b, VisibleBooking(s, *id, actor));
  TRY_OR_RESPOND(own, IsOwnBooking(s, req, *b));
  if (!*own && !Holds(req, auth::Permission::kCounsellingManage))
    return http::ErrorResponse(Failure(Code::kPermissionDenied, "counselling.not_your_session", {}, "id").error());
  TRY_OR_RESPOND(done, s.counselling->RecordSession(*id, *status, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st =
          AuditRequest(s, req, "session", "counselling_booking", std::to_string(*id), json{{"status", *status}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, BookingJson(*done).dump());
}

http::Response AddNote(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(text, r.RequiredString("text", 8000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (text->empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", "text"}}, "text").error());
  if (!s.case_notes)
    return http::ErrorResponse(Failure(Code::kUnavailable, "case.notes_key_missing", {}, "text").error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(b, VisibleBooking(s, *id, actor));
  TRY_OR_RESPOND(own, IsOwnBooking(s, req, *b));
  if (!*own)
    return http::ErrorResponse(Failure(Code::kPermissionDenied, "counselling.not_your_session", {}, "id").error());
  const std::string sealed = s.case_notes->Seal(std::string_view(counselling::SessionNoteContext(*id)), *text);
  TRY_OR_RESPOND(note, s.counselling->AddNote(*id, sealed, AccessOf(actor), FormatTimestamp(s.clock.Now())));
  if (auto st =
          AuditRequest(s, req, "note", "counselling_booking", std::to_string(*id), json{{"note_id", *note}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, json{{"id", *note}, {"booking_id", *id}}.dump());
}

}  // namespace

void AddCounsellingBookingRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  const std::string base = "/api/v1/counselling/bookings";
  t.push_back({"GET", base, P::kCounsellingRead, [&s](http::Request& req) { return ListBookings(s, req); }});
  t.push_back({"POST", base, P::kCounsellingBook, [&s](http::Request& req) { return Book(s, req); }});
  t.push_back({"GET", base + "/:id", P::kCounsellingRead, [&s](http::Request& req) { return GetBooking(s, req); }});
  t.push_back({"POST", base + "/:id/cancel", P::kCounsellingBook, [&s](http::Request& req) { return Cancel(s, req); }});
  t.push_back(
      {"POST", base + "/:id/reschedule", P::kCounsellingBook, [&s](http::Request& req) { return Reschedule(s, req); }});
  t.push_back({"POST", base + "/:id/session", P::kCounsellingSession,
               [&s](http::Request& req) { return RecordSession(s, req); }});
  t.push_back(
      {"POST", base + "/:id/notes", P::kCounsellingSession, [&s](http::Request& req) { return AddNote(s, req); }});
}

}  // namespace sanad::api

// Open311 GeoReport v2 over the e-services (docs/eservices.md#open311), in JSON and in XML (the format is
// the resource's extension, as the standard has it): the service list, a service's definition (its
// attributes, the commune code among them), posting a request (form-encoded as the standard says, or
// JSON), a request by its id, and a token (the tracking code) to its id.
// Public like the web form, with the same rate limits. A request's document carries its status and
// public notes but never the description, the pin or the reporter: requests are about people.
#include <fmt/format.h>

#include <map>
#include <set>

#include "api/eservice_json.h"
#include "core/tracking_code.h"
#include "core/xml_escape.h"
#include "eservices/dispatch.h"
#include "i18n/catalogue.h"

namespace sanad::api {
namespace {

using Fields = std::map<std::string, std::string>;

// The document's format: the resource's extension (services.xml, requests/{id}.json…).
bool WantsXml(const http::Request& req) { return req.path.ends_with(".xml"); }

void AppendXml(std::string& out, std::string_view name, const nlohmann::json& v);

// GeoReport v2's XML: a list is <root><item>…</item>…</root>, an object's members are elements in
// order, a nested list is named by its key with one element per entry named by the singular
// (attributes/attribute, values/value), null is an empty element.
void AppendXmlMembers(std::string& out, const nlohmann::json& object) {
  for (const auto& [k, v] : object.items()) AppendXml(out, k, v);
}

void AppendXml(std::string& out, std::string_view name, const nlohmann::json& v) {
  out += '<';
  out += name;
  out += '>';
  if (v.is_object()) {
    AppendXmlMembers(out, v);
  } else if (v.is_array()) {
    const std::string item(name.ends_with('s') ? name.substr(0, name.size() - 1) : name);
    for (const auto& e : v) AppendXml(out, item, e);
  } else if (v.is_string()) {
    out += XmlEscape(v.get<std::string>());
  } else if (!v.is_null()) {
    out += v.dump();  // numbers and booleans as JSON writes them: 12, 4.5, true
  }
  out += "</";
  out += name;
  out += '>';
}

// `doc` (a list of items, or one object) as the client asked: JSON, or XML under `root` whose list
// items are `item` elements.
http::Response Document(const http::Request& req, int status, const nlohmann::json& doc, std::string_view root,
                        std::string_view item) {
  if (!WantsXml(req)) return http::JsonResponse(status, doc.dump());
  http::Response r;
  r.status = status;
  r.content_type = "text/xml; charset=utf-8";
  r.body = R"(<?xml version="1.0" encoding="utf-8"?>)";
  r.body += '<';
  r.body += root;
  r.body += '>';
  if (doc.is_array()) {
    for (const auto& e : doc) AppendXml(r.body, item, e);
  } else {
    AppendXmlMembers(r.body, doc);
  }
  r.body += "</";
  r.body += root;
  r.body += '>';
  return r;
}

// Errors as the standard writes them: [{"code": <HTTP status>, "description": "…"}] (in XML
// <errors><error>…), in the client's language.
http::Response Open311Error(const http::Request& req, const Error& e) {
  const auto lang = http::RequestLang(req);
  const int status = http::HttpStatus(e.code);
  std::string description = i18n::RenderError(lang, e);
  for (const auto& p : e.problems) description += " " + p.field + ": " + i18n::RenderProblem(lang, p);
  if (!e.field.empty() && e.problems.empty()) description += " (" + e.field + ")";
  auto r = Document(req, status, nlohmann::json::array({{{"code", status}, {"description", description}}}), "errors",
                    "error");
  if (e.retry_after_seconds > 0) r.Header("Retry-After", std::to_string(e.retry_after_seconds));
  http::SayLanguage(r, lang);
  return r;
}

std::string ServiceName(i18n::Lang lang, std::string_view code) {
  return i18n::Render(lang, "eservice.service." + std::string(code)).value_or(std::string(code));
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> FormDecode(std::string_view in, std::string_view where) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size() || Hex(in[i + 1]) < 0 || Hex(in[i + 2]) < 0)
        return Failure(Code::kInvalidArgument, "eservice.bad_form_encoding", {{"position", std::to_string(i)}},
                       std::string(where));
      out += static_cast<char>(Hex(in[i + 1]) * 16 + Hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

Result<Fields> ReadForm(const std::string& body) {
  Fields f;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string_view pair(body.data() + start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      auto key = FormDecode(pair.substr(0, eq), "body");
      if (!key) return std::unexpected(key.error());
      auto value = FormDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), *key);
      if (!value) return std::unexpected(value.error());
      f[*key] = *value;
    }
    start = end + 1;
  }
  return f;
}

Result<Fields> ReadJsonFields(const http::Request& req) {
  auto body = http::ParseJsonObject(req);
  if (!body) return std::unexpected(body.error());
  Fields f;
  auto put = [&f](const std::string& key, const nlohmann::json& v) -> Status {
    if (v.is_string()) {
      f[key] = v.get<std::string>();
    } else if (v.is_boolean()) {
      f[key] = v.get<bool>() ? "true" : "false";
    } else if (v.is_number()) {
      f[key] = v.dump();
    } else if (!v.is_null()) {
      return Failure(Code::kInvalidArgument, "field.not_string", {{"field", key}}, key);
    }
    return Ok();
  };
  for (const auto& [k, v] : body->items()) {
    if (k == "attribute" && v.is_object()) {
      for (const auto& [ak, av] : v.items()) {
        if (auto st = put("attribute[" + ak + "]", av); !st) return std::unexpected(st.error());
      }
    } else if (auto st = put(k, v); !st) {
      return std::unexpected(st.error());
    }
  }
  return f;
}

Result<std::optional<double>> Number(const Fields& f, const std::string& key, double min, double max) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end != it->second.c_str() + it->second.size() || !(v >= min && v <= max))
    return Failure(Code::kInvalidArgument, "field.out_of_range",
                   {{"field", key}, {"min", fmt::format("{}", min)}, {"max", fmt::format("{}", max)}}, key);
  return v;
}

std::optional<std::string> Text(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The standard's fields and this server's attributes (services/{code}.json) → a submission.
Result<eservices::ReportInput> InputOf(const Fields& f) {
  static const std::set<std::string> kKnown{"api_key",
                                            "jurisdiction_id",
                                            "service_code",
                                            "lat",
                                            "long",
                                            "address_string",
                                            "address_id",
                                            "email",
                                            "device_id",
                                            "account_id",
                                            "first_name",
                                            "last_name",
                                            "phone",
                                            "description",
                                            "media_url",
                                            "attribute[commune_code]",
                                            "attribute[immediate_danger]",
                                            "attribute[apparent_state]",
                                            "attribute[topic]",
                                            "attribute[counselling_channel]",
                                            "attribute[preferred_times]",
                                            "attribute[white_army]"};
  for (const auto& [k, v] : f) {
    if (!kKnown.contains(k)) return Failure(Code::kInvalidArgument, "field.unknown", {{"name", k}}, k);
    if (v.size() > 4000) return Failure(Code::kInvalidArgument, "field.too_long", {{"field", k}, {"max", "4000"}}, k);
  }
  eservices::ReportInput in;
  in.channel = "open311";
  in.service = Text(f, "service_code").value_or("");
  in.commune_code = Text(f, "attribute[commune_code]").value_or(Text(f, "address_id").value_or(""));
  auto lat = Number(f, "lat", -90, 90);
  if (!lat) return std::unexpected(lat.error());
  auto lon = Number(f, "long", -180, 180);
  if (!lon) return std::unexpected(lon.error());
  in.lat = *lat;
  in.lon = *lon;
  in.description = Text(f, "description").value_or("");
  if (auto where = Text(f, "address_string")) in.description += (in.description.empty() ? "" : "\n") + *where;
  auto flag = [&](const std::string& key) -> Result<bool> {
    auto v = Text(f, key);
    if (!v || *v == "false" || *v == "0") return false;
    if (*v == "true" || *v == "1") return true;
    return Failure(Code::kInvalidArgument, "field.not_boolean", {{"field", key}}, key);
  };
  auto danger = flag("attribute[immediate_danger]");
  if (!danger) return std::unexpected(danger.error());
  in.immediate_danger = *danger;
  auto white = flag("attribute[white_army]");
  if (!white) return std::unexpected(white.error());
  in.white_army = *white;
  in.apparent_state = Text(f, "attribute[apparent_state]");
  in.topic = Text(f, "attribute[topic]");
  in.counselling_channel = Text(f, "attribute[counselling_channel]");
  in.preferred_times = Text(f, "attribute[preferred_times]");
  const auto first = Text(f, "first_name"), last = Text(f, "last_name");
  if (first || last) in.contact_name = first.value_or("") + (first && last ? " " : "") + last.value_or("");
  in.contact_phone = Text(f, "phone");
  in.contact_email = Text(f, "email");
  return in;
}

http::Response PostRequest(Services& s, http::Request& req) {
  const std::string* ct = req.Header("content-type");
  const bool json = ct && ct->starts_with("application/json");
  if (!json && !(ct && ct->starts_with("application/x-www-form-urlencoded")))
    return Open311Error(req,
                        Failure(Code::kUnsupportedMedia, "eservice.open311_content_type", {}, "Content-Type").error());
  auto fields = json ? ReadJsonFields(req) : ReadForm(req.body);
  if (!fields) return Open311Error(req, fields.error());
  auto in = InputOf(*fields);
  if (!in) return Open311Error(req, in.error());
  if (auto st = eservices::ValidateReport(*in); !st) return Open311Error(req, st.error());
  const auto wait = TakeIntakeTokens(s, req, *in);
  if (wait && !eservices::IsLifeSafety(in->service)) {
    auto refused = Failure(Code::kResourceExhausted, "eservice.rate_limited", {{"seconds", std::to_string(*wait)}});
    refused.error().retry_after_seconds = *wait;
    return Open311Error(req, refused.error());
  }
  auto sub = SubmitDurably(s, req, std::move(*in), wait.has_value());
  if (!sub) return Open311Error(req, sub.error());
  const auto lang = http::RequestLang(req);
  auto r =
      Document(req, 201,
               nlohmann::json::array({{{"service_request_id", sub->report.public_id},
                                       {"token", sub->tracking_code},
                                       {"service_notice", i18n::Render(lang, "eservice.open311_notice").value_or("")},
                                       {"account_id", nullptr}}}),
               "service_requests", "request");
  http::SayLanguage(r, lang);
  return r;
}

nlohmann::json RequestJson(const eservices::Report& r, const std::vector<eservices::Note>& notes, i18n::Lang lang) {
  std::string status_notes;
  for (const auto& n : notes) status_notes += (status_notes.empty() ? "" : "\n") + n.body;
  return {{"service_request_id", r.public_id},
          {"status", r.status == "closed" ? "closed" : "open"},
          {"status_notes", status_notes},
          {"service_name", ServiceName(lang, r.input.service)},
          {"service_code", r.input.service},
          {"agency_responsible", r.unit_code ? nlohmann::json(*r.unit_code) : nlohmann::json()},
          {"service_notice", nullptr},
          {"requested_datetime", r.created_at},
          {"updated_datetime", r.updated_at},
          {"expected_datetime", r.acknowledged_at ? nlohmann::json() : nlohmann::json(r.ack_deadline)},
          {"address_id", r.input.commune_code},
          {"media_url", nullptr}};
}

// ":code.json" or ":code.xml": the resource name ends with the format.
Result<std::string> Resource(const http::Request& req, const std::string& param) {
  const std::string& v = req.Param(param);
  for (std::string_view ext : {".json", ".xml"}) {
    if (v.ends_with(ext) && v.size() > ext.size()) return v.substr(0, v.size() - ext.size());
  }
  return Failure(Code::kNotFound, "eservice.open311_format", {}, param);
}

}  // namespace

void AddOpen311Routes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto services = [](http::Request& req) {
    const auto lang = http::RequestLang(req);
    nlohmann::json out = nlohmann::json::array();
    for (auto code : eservices::kServices) {
      out.push_back({{"service_code", code},
                     {"service_name", ServiceName(lang, code)},
                     {"description", i18n::Render(lang, "eservice.service_about." + std::string(code)).value_or("")},
                     {"metadata", true},
                     {"type", "realtime"},
                     {"keywords", ""},
                     {"group", i18n::Render(lang, "eservice.group").value_or("")}});
    }
    auto r = Document(req, 200, out, "services", "service");
    http::SayLanguage(r, lang);
    return r;
  };
  t.push_back({"GET", "/open311/v2/services.json", P::kPublic, services});
  t.push_back({"GET", "/open311/v2/services.xml", P::kPublic, services});
  t.push_back(
      {"GET", "/open311/v2/services/:file", P::kPublic, [](http::Request& req) {
         auto code = Resource(req, "file");
         if (!code) return Open311Error(req, code.error());
         if (!eservices::IsService(*code))
           return Open311Error(
               req, Failure(Code::kNotFound, "eservice.unknown_service", {{"value", *code}}, "service_code").error());
         const auto lang = http::RequestLang(req);
         auto attr = [&](const std::string& code_name, const std::string& type, bool required, int order,
                         const std::vector<std::string>& values = {}) {
           nlohmann::json a{{"variable", true},
                            {"code", code_name},
                            {"datatype", type},
                            {"required", required},
                            {"datatype_description", ""},
                            {"order", order},
                            {"description", i18n::Render(lang, "field_name." + code_name).value_or(code_name)}};
           if (!values.empty()) {
             a["values"] = nlohmann::json::array();
             for (const auto& v : values)
               a["values"].push_back({{"key", v}, {"name", i18n::Render(lang, "eservice.value." + v).value_or(v)}});
           }
           return a;
         };
         nlohmann::json attributes = nlohmann::json::array();
         attributes.push_back(attr("commune_code", "string", true, 1));
         if (*code == eservices::kFamilyCounselling) {
           attributes.push_back(attr("topic", "string", true, 2));
           attributes.push_back(
               attr("counselling_channel", "singlevaluelist", true, 3, {"phone", "video", "in_person"}));
           attributes.push_back(attr("preferred_times", "string", false, 4));
           attributes.push_back(attr("white_army", "singlevaluelist", false, 5, {"true", "false"}));
         } else {
           attributes.push_back(attr("immediate_danger", "singlevaluelist", false, 2, {"true", "false"}));
           attributes.push_back(attr("apparent_state", "text", false, 3));
         }
         auto r = Document(req, 200, nlohmann::json{{"service_code", *code}, {"attributes", attributes}},
                           "service_definition", "");
         http::SayLanguage(r, lang);
         return r;
       }});
  for (const char* path : {"/open311/v2/requests.json", "/open311/v2/requests.xml"}) {
    http::Route post{"POST", path, P::kPublic, [&s](http::Request& req) { return PostRequest(s, req); }};
    post.max_body = 16 * 1024;
    t.push_back(std::move(post));
  }
  t.push_back(
      {"GET", "/open311/v2/requests/:file", P::kPublic, [&s](http::Request& req) {
         auto id = Resource(req, "file");
         if (!id) return Open311Error(req, id.error());
         auto report = s.eservices->store().ByPublicId(*id);
         if (!report) return Open311Error(req, report.error());
         if (!*report)
           return Open311Error(
               req,
               Failure(Code::kNotFound, "eservice.request_not_found", {{"id", *id}}, "service_request_id").error());
         auto notes = s.eservices->store().Notes((*report)->id, true);
         if (!notes) return Open311Error(req, notes.error());
         // Closed once the case opened from it is closed.
         auto view = s.report_cases->Public(std::move(**report));
         if (!view) return Open311Error(req, view.error());
         const auto lang = http::RequestLang(req);
         auto r = Document(req, 200, nlohmann::json::array({RequestJson(view->report, *notes, lang)}),
                           "service_requests", "request");
         http::SayLanguage(r, lang);
         return r;
       }});
  t.push_back({"GET", "/open311/v2/tokens/:file", P::kPublic, [&s](http::Request& req) {
                 auto token = Resource(req, "file");
                 if (!token) return Open311Error(req, token.error());
                 auto code = core::NormaliseCode(*token, eservices::kTrackingCodeChars);
                 auto report = code ? s.eservices->store().ByTrackingHash(core::CodeHash(*code))
                                    : Result<std::optional<eservices::Report>>(std::nullopt);
                 if (!report) return Open311Error(req, report.error());
                 if (!*report)
                   return Open311Error(req, Failure(Code::kNotFound, "eservice.code_not_found", {}, "token").error());
                 return Document(
                     req, 200,
                     nlohmann::json::array({{{"service_request_id", (*report)->public_id}, {"token", *token}}}),
                     "service_requests", "request");
               }});
}

}  // namespace sanad::api

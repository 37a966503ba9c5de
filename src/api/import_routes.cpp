// Import and export of the registry: POST /api/v1/imports/households|persons|households-with-members
// (the raw file as the body), GET /api/v1/imports/template (the columns and an example row), GET
// /api/v1/imports/reports/:id (the error report of a rejected file, CSV), and GET
// /api/v1/exports/persons?format=csv|xlsx (a person search as a file, within the caller's scope), and GET
// /api/v1/change-requests/:id/rows (the staged rows of an import request, for its reviewer).
#include <fmt/format.h>
#include <charconv>
#include <fstream>

#include "api/person_query.h"
#include "api/registry_json.h"
#include "api/services.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "registry/exporter.h"
#include "registry/importer.h"
#include "registry/staged_rows_store.h"

namespace sanad::api {

namespace {

constexpr std::size_t kMaxImportBody = 200u << 20;  // 200 MiB: about 800,000 person rows of CSV
constexpr std::size_t kMaxExportRows = 1'000'000;
constexpr std::size_t kMaxNameHits = 10'000;
constexpr std::size_t kStreamChunk = 256 * 1024;

constexpr std::size_t kReportRowsInline = 100;  // rows whose errors the 422 answer lists (all of each)

// An error or warning as the client shows it: the catalogue code and parameters, and the text in the
// client's language.
nlohmann::json RowErrorJson(const registry::RowError& e, i18n::Lang lang) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : e.params) params[name] = value;
  nlohmann::json j{{"column", e.column},
                   {"value", e.value},
                   {"reason", e.reason},
                   {"params", params},
                   {"message", registry::RenderRowError(e, lang)}};
  if (e.row > 0) j["row"] = e.row;
  return j;
}

// Every error of the first `max_rows` rows with errors (a row's errors are never cut in two).
nlohmann::json ErrorsJson(const std::vector<registry::RowError>& errors, std::size_t max_rows, i18n::Lang lang) {
  nlohmann::json out = nlohmann::json::array();
  std::size_t rows = 0;
  long last = -1;
  for (const auto& e : errors) {
    if (e.row != last) {
      if (++rows > max_rows) break;
      last = e.row;
    }
    out.push_back(RowErrorJson(e, lang));
  }
  return out;
}

http::Response ImportHandler(Services& s, http::Request& req, registry::ImportKind kind) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(file_name, q.String("file_name", 200));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  std::optional<registry::FileFormat> format;
  if (const std::string* ct = req.Header("content-type")) format = registry::FormatFromMediaType(*ct);
  if (!format && *file_name) format = registry::FormatFromName(**file_name);
  if (!format) {
    return http::ErrorResponse(Failure(Code::kUnsupportedMedia, "import.media_type", {}, "Content-Type").error());
  }
  if (req.body.empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "import.empty_body", {}, "body").error());
  const i18n::Lang lang = http::RequestLang(req);
  registry::ImportOptions options;
  options.format = *format;
  options.file_name = file_name->value_or(*format == registry::FileFormat::kXlsx ? "upload.xlsx" : "upload.csv");
  options.lang = lang;
  registry::Importer importer(*s.registry, *s.changes, s.clock);
  auto actor = ActorOf(s, req);
  auto out = importer.Import(kind, req.body, actor, options);
  if (!out) return http::ErrorResponse(out.error());
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : out->warnings) warnings.push_back(RowErrorJson(w, lang));
  if (out->accepted()) {
    nlohmann::json body{{"change_request", ChangeRequestJson(*out->change_request, false, lang)},
                        {"rows", out->rows_total},
                        {"warnings", warnings}};
    return http::JsonResponse(201, http::JsonText(body));
  }
  // The import itself is done: a failed audit line is logged (by AuditRequest) but does not undo it.
  (void)AuditRequest(
      s, req, "import_rejected", "import_report", out->report_id ? std::to_string(*out->report_id) : "",
      nlohmann::json{{"file", options.file_name}, {"rows", out->rows_total}, {"rows_rejected", out->rows_rejected}}
          .dump());
  nlohmann::json report{{"rows_total", out->rows_total},
                        {"rows_rejected", out->rows_rejected},
                        {"error_count", out->errors.size()},
                        {"errors", ErrorsJson(out->errors, kReportRowsInline, lang)}};
  if (out->report_id) {
    report["id"] = *out->report_id;
    report["download"] = fmt::format("/api/v1/imports/reports/{}", *out->report_id);
  }
  const MessageParams params{{"rejected", std::to_string(out->rows_rejected)},
                             {"total", std::to_string(out->rows_total)},
                             {"file", options.file_name}};
  nlohmann::json error_params = nlohmann::json::object();
  for (const auto& [name, value] : params) error_params[name] = value;
  // Rows in error, or a file that could not be read or lacks a column as a whole.
  const std::string_view reason = out->rows_rejected > 0 ? MsgCode("import.rejected") : MsgCode("import.rejected_file");
  nlohmann::json body{{"error",
                       {{"code", "failed_precondition"},
                        {"reason", reason},
                        {"params", error_params},
                        {"message", i18n::Render(lang, reason, params).value_or("")},
                        {"field", "file"}}},
                      {"report", report},
                      {"warnings", warnings}};
  return http::JsonResponse(422, http::JsonText(body));
}

// GET /api/v1/imports/template?level=households|persons|both&format=csv|xlsx
http::Response TemplateHandler(http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(level, q.OneOf("level", {"households", "persons", "both"}));
  TRY_OR_RESPOND(format, q.OneOf("format", {"csv", "xlsx"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*level)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "level"}}, "level").error());
  const auto kind = registry::ImportKindFromName(**level).value_or(registry::ImportKind::kPersons);
  const bool xlsx = format->value_or("csv") == "xlsx";
  http::Response resp;
  resp.status = 200;
  if (xlsx) {
    auto book = registry::ImportTemplateXlsx(kind);
    if (!book) return http::ErrorResponse(book.error());
    resp.body = std::move(*book);
    resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  } else {
    // With a byte-order mark, so that a spreadsheet program opens the Arabic example as UTF-8.
    resp.body = "\xEF\xBB\xBF" + registry::ImportTemplateCsv(kind);
    resp.content_type = "text/csv; charset=utf-8";
  }
  resp.Header("Content-Disposition", fmt::format("attachment; filename=\"sanad-import-{}.{}\"",
                                                 registry::ImportKindName(kind), xlsx ? "xlsx" : "csv"));
  return resp;
}

// GET /api/v1/change-requests/:id/rows?limit=&offset=: the staged rows of an import request, for its
// reviewer. Scoped like reading the request itself (the same 404 outside the caller's scope); audited
// like every read of personal data, and refused (503) when the audit line cannot be written.
http::Response StagedRowsHandler(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  http::QueryReader q(req);
  TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  // Scoped like the request itself; no re-validation of the whole import for each page of its rows.
  TRY_OR_RESPOND(cr, s.changes->Get(*id, ActorOf(s, req)));
  if (!cr->kind.starts_with("import_")) {
    return http::ErrorResponse(
        Failure(Code::kFailedPrecondition, "change_request.not_an_import", {{"id", std::to_string(*id)}}, "id")
            .error());
  }
  registry::StagedRowsStore rows(s.db);
  TRY_OR_RESPOND(page, rows.Page(*id, cr->kind, paging->limit, paging->offset));
  const i18n::Lang lang = RequestLang(req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : page->rows) {
    nlohmann::json item{{"row", r.row},
                        {"household_ref", r.household_ref ? nlohmann::json(*r.household_ref) : nlohmann::json()},
                        {"commune_code", r.commune_code ? nlohmann::json(*r.commune_code) : nlohmann::json()}};
    if (r.household) item["household"] = registry::ValuesJson(registry::HouseholdFields(), *r.household);
    if (r.person) item["person"] = registry::ValuesJson(registry::PersonFields(), *r.person);
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : r.warnings) warnings.push_back(RowErrorJson(w, lang));
    item["warnings"] = std::move(warnings);
    items.push_back(std::move(item));
  }
  nlohmann::json communes = nlohmann::json::array();
  for (const auto& c : page->communes)
    communes.push_back({{"commune_code", c.commune_code}, {"rows", c.rows}, {"households", c.households}});
  if (auto st = AuditRequest(s, req, "view", "change_request_rows", std::to_string(*id),
                             nlohmann::json{{"offset", paging->offset}, {"returned", items.size()}}.dump());
      !st) {
    return http::ErrorResponse(st.error());
  }
  nlohmann::json body{
      {"kind", cr->kind},       {"status", cr->status},     {"items", std::move(items)},      {"total", page->total},
      {"limit", paging->limit}, {"offset", paging->offset}, {"communes", std::move(communes)}};
  return http::JsonResponse(200, http::JsonText(body));
}

}  // namespace

void AddImportRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back(
      {"GET", "/api/v1/imports/template", P::kRegistryImport, [](http::Request& req) { return TemplateHandler(req); }});
  t.push_back({"POST", "/api/v1/imports/households", P::kRegistryImport,
               [&s](http::Request& req) { return ImportHandler(s, req, registry::ImportKind::kHouseholds); },
               kMaxImportBody});
  t.push_back({"POST", "/api/v1/imports/persons", P::kRegistryImport,
               [&s](http::Request& req) { return ImportHandler(s, req, registry::ImportKind::kPersons); },
               kMaxImportBody});
  t.push_back({"POST", "/api/v1/imports/households-with-members", P::kRegistryImport,
               [&s](http::Request& req) { return ImportHandler(s, req, registry::ImportKind::kHouseholdsWithMembers); },
               kMaxImportBody});
  t.push_back({"GET", "/api/v1/change-requests/:id/rows", P::kRegistryRead,
               [&s](http::Request& req) { return StagedRowsHandler(s, req); }});
  t.push_back({"GET", "/api/v1/imports/reports/:id", P::kRegistryImport, [&s](http::Request& req) {
                 auto path_id = http::PathId(req);
                 if (!path_id) return http::ErrorResponse(path_id.error());
                 const std::int64_t id = *path_id;
                 registry::Importer importer(*s.registry, *s.changes, s.clock);
                 auto rep = importer.Report(id);
                 if (!rep) return http::ErrorResponse(rep.error());
                 bool admin = false, author = false;
                 if (req.principal) {
                   const auto& u = req.principal->user;
                   admin = std::find(u.roles.begin(), u.roles.end(), auth::Role::kAdmin) != u.roles.end();
                   author = *rep && (*rep)->author_id && *(*rep)->author_id == u.id.value;
                 }
                 // Someone else's report is answered as absent: its existence is not disclosed.
                 if (!*rep || !(admin || author)) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "import.no_report", {{"id", std::to_string(id)}}, "id").error());
                 }
                 if (auto st = AuditRequest(s, req, "download", "import_report", std::to_string(id)); !st)
                   return http::ErrorResponse(st.error());
                 http::Response resp;
                 resp.status = 200;
                 resp.content_type = "text/csv; charset=utf-8";
                 resp.body = std::move((*rep)->csv);
                 resp.Header("Content-Disposition", fmt::format("attachment; filename=\"import-report-{}.csv\"", id));
                 return resp;
               }});
  t.push_back(
      {"GET", "/api/v1/exports/persons", P::kRegistryExport, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(format, q.OneOf("format", {"csv", "xlsx"}));
         TRY_OR_RESPOND(text, q.String("q", 200));
         TRY_OR_RESPOND(national_id, q.String("national_id", 32));
         TRY_OR_RESPOND(phone, q.String("phone", 32));
         TRY_OR_RESPOND(area, q.String("area", 32));
         TRY_OR_RESPOND(inactive, q.OneOf("include_inactive", {"0", "1", "true", "false"}));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         auto actor = ActorOf(s, req);
         registry::SearchFilter f;
         f.area = *area;
         f.include_inactive = *inactive && (**inactive == "1" || **inactive == "true");
         if (*national_id) f.national_id = NationalIdQuery(**national_id);
         if (*phone) {
           TRY_OR_RESPOND(norm, PhoneQuery(**phone, *area));
           f.phone = *norm;
         }
         if (*text && !(*text)->empty()) {
           if (!s.name_search)
             return http::ErrorResponse(Failure(Code::kUnavailable, "search.index_not_loaded", {}, "q").error());
           auto hits = s.name_search(**text, actor.scope, *area, kMaxNameHits);
           if (!hits) return http::ErrorResponse(hits.error());
           std::vector<std::int64_t> ids;
           for (const auto& h : *hits) ids.push_back(h.first);
           f.person_ids = std::move(ids);
         }
         const bool xlsx = format->value_or("csv") == "xlsx";
         // The export is streamed: pages of persons are written as they are read, so neither the
         // rows nor the file are ever whole in memory. Audited before the first byte (the number
         // of rows is in the trailing log line of the stream).
         if (auto st = AuditRequest(s, req, "export", "person", "",
                                    nlohmann::json{{"format", xlsx ? "xlsx" : "csv"},
                                                   {"q", text->value_or("")},
                                                   {"national_id", national_id->has_value()},
                                                   {"phone", phone->has_value()},
                                                   {"area", area->value_or("")}}
                                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
             !st) {
           return http::ErrorResponse(st.error());
         }
         http::Response resp;
         resp.status = 200;
         resp.content_type =
             xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
         resp.Header("Content-Disposition", fmt::format("attachment; filename=\"persons.{}\"", xlsx ? "xlsx" : "csv"));
         resp.stream = [&s, f = std::move(f), scope = actor.scope, xlsx](const http::BodyWriter& write) -> Status {
           registry::Exporter exporter(*s.registry);
           if (!xlsx) {
             bool header = false;
             return exporter.EachPage(f, scope, kMaxExportRows, [&](const registry::ExportTable& page) -> Status {
               std::string text = header ? "" : registry::CsvHeader(page);
               header = true;
               text += registry::CsvRows(page);
               return write(text);
             });
           }
           // XLSX is a ZIP whose directory comes last: the workbook is written to a temporary
           // file row by row (constant memory), then the file is sent in chunks.
           registry::XlsxWriter book;
           auto st = exporter.EachPage(f, scope, kMaxExportRows,
                                       [&](const registry::ExportTable& page) { return book.Add(page); });
           if (!st) return st;
           if (auto closed = book.Close(); !closed) return closed;
           std::ifstream in(book.path(), std::ios::binary);
           std::string chunk(kStreamChunk, '\0');
           while (in) {
             in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
             if (auto w = write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount()))); !w) return w;
           }
           return Ok();
         };
         return resp;
       }});
}

}  // namespace sanad::api

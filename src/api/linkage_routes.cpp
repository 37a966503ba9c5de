// Registry deduplication and the cross-programme check, for linkage.review holders:
//   POST /api/v1/linkage/jobs                       start a job over the caller's scope (409 while one runs)
//   GET  /api/v1/linkage/jobs, /jobs/:id            status, stage, pairs compared, records, candidates, seconds
//   POST /api/v1/linkage/jobs/:id/cancel
//   GET  /api/v1/linkage/candidates?status=pending  the review queue: two records side by side + explanation
//   GET  /api/v1/linkage/candidates/:id
//   POST /api/v1/linkage/candidates/:id/confirm     {"keep": person_id?, "comment"} → merge_persons request
//   POST /api/v1/linkage/candidates/:id/reject      {"comment"} (required) → remembered as not duplicates
//   POST /api/v1/linkage/candidates/:id/reopen      undoes a reject: the pair is pending again
//   GET  /api/v1/linkage/cross-programme/rules, /cross-programme?rule=asd_family_allowances
//   POST /api/v1/linkage/external-lists?name=&programme=   a beneficiary list (CSV), linked to the registry
//   GET  /api/v1/linkage/external-lists
// Reads of personal data are audited; every query is limited to the caller's area scope. Job stages and
// the explanation's comparisons and levels come with their text in the request's language
// (stage_text, comparison_text, label_text).
#include <fmt/format.h>
#include <charconv>

#include "api/json_mapping.h"
#include "api/registry_json.h"
#include "api/services.h"
#include "dedup/dedup_messages.h"
#include "dedup/dedup_service.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "i18n/language.h"

namespace sanad::api {

namespace {

constexpr std::size_t kMaxListBody = 100u << 20;  // 100 MiB of CSV

// The text of a catalogue code in `lang`; `fallback` when the code is empty or has no text.
std::string TextOf(i18n::Lang lang, std::string_view code, const MessageParams& params, const std::string& fallback) {
  if (code.empty()) return fallback;
  return i18n::Render(lang, code, params).value_or(fallback);
}

nlohmann::json JobJson(const dedup::JobRow& j, i18n::Lang lang) {
  nlohmann::json out{
      {"id", j.id},
      {"status", j.status},
      {"stage", j.stage},
      {"stage_text", TextOf(lang, dedup::StageCode(j.stage), j.stage_params, j.stage)},
      {"area_code", j.area_code ? nlohmann::json(*j.area_code) : nlohmann::json(nullptr)},
      {"started_by", j.started_by},
      {"started_at", j.started_at},
      {"finished_at", j.finished_at ? nlohmann::json(*j.finished_at) : nlohmann::json(nullptr)},
      {"records", j.records},
      {"pairs_compared", j.pairs_compared},
      {"candidate_pairs", j.candidate_pairs},
      {"matches", j.matches},
      {"review", j.review},
      {"proposed", j.proposed},
      {"seconds", j.seconds},
      // A catalogue code (the failures of the engine and the queue have one), rendered.
      {"error", j.error ? nlohmann::json(TextOf(lang, *j.error, {}, *j.error)) : nlohmann::json(nullptr)},
      {"error_code", j.error && i18n::Render(lang, *j.error) ? nlohmann::json(*j.error) : nlohmann::json(nullptr)}};
  return out;
}

// A candidate with both records (all person fields, household ref and commune) and the explanation.
Result<nlohmann::json> CandidateJson(Services& s, const dedup::CandidateRow& c, const registry::Scope& scope,
                                     i18n::Lang lang) {
  nlohmann::json out{
      {"id", c.id},
      {"job_id", c.job_id},
      {"status", c.status},
      {"band", c.band},
      {"weight", c.weight},
      {"probability", c.probability},
      {"change_request_id", c.change_request_id ? nlohmann::json(*c.change_request_id) : nlohmann::json(nullptr)},
      {"decided_by", OrNull(c.decided_by)},
      {"decided_at", OrNull(c.decided_at)},
      {"comment", OrNull(c.comment)},
      {"created_at", c.created_at}};
  try {
    out["explanation"] = nlohmann::json::parse(c.explanation);
  } catch (const std::exception&) {
    out["explanation"] = nullptr;
  }
  if (out["explanation"].is_object() && out["explanation"]["fields"].is_array()) {
    for (auto& f : out["explanation"]["fields"]) {
      const std::string comparison = f.value("comparison", "");
      const std::string label = f.value("label", "");
      f["comparison_text"] = TextOf(lang, dedup::ComparisonCode(comparison), {}, comparison);
      // Pairs proposed before levels had codes keep their English label.
      f["label_text"] = TextOf(
          lang,
          f.contains("label_code") && f["label_code"].is_string() ? f["label_code"].get<std::string>() : std::string(),
          {}, label);
    }
  }
  std::vector<std::int64_t> homes;
  for (auto [key, id] : {std::pair{"a", c.person_a}, std::pair{"b", c.person_b}}) {
    auto p = s.registry->households.GetPerson(id, scope);
    if (!p) return std::unexpected(p.error());
    if (!*p) {
      out[key] = {{"id", id}};
      continue;
    }
    out[key] = PersonJson(**p);
    homes.push_back((**p).household_id);
  }
  auto summaries = s.registry->households.HouseholdSummaries(homes);
  if (!summaries) return std::unexpected(summaries.error());
  for (const char* key : {"a", "b"}) {
    if (!out[key].contains("household_id")) continue;
    if (auto it = summaries->find(out[key]["household_id"].get<std::int64_t>()); it != summaries->end()) {
      out[key]["household_ref"] = it->second.first;
      out[key]["commune_code"] = it->second.second;
    }
  }
  return out;
}

nlohmann::json ListJsonOf(const dedup::ExternalListRow& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"programme", l.programme},
          {"area_code", OrNull(l.area_code)},
          {"uploaded_by", l.uploaded_by},
          {"uploaded_at", l.uploaded_at},
          {"rows_total", l.rows_total},
          {"matched", l.matched}};
}

bool ValidCode(const std::string& v) {
  return !v.empty() && v.size() <= 40 && std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

}  // namespace

void AddLinkageRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // ---- jobs ----
  t.push_back({"POST", "/api/v1/linkage/jobs", P::kLinkageReview, [&s](http::Request& req) {
                 auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(job, s.dedup->StartJob(actor));
                 // Job and list metadata carry no personal data: a failed audit line is logged, not fatal.
                 (void)AuditRequest(s, req, "start", "linkage_job", std::to_string(job->id),
                                    nlohmann::json{{"area", actor.scope.area.value_or("")}}.dump());
                 return http::JsonResponse(201, JobJson(*job, http::RequestLang(req)).dump());
               }});
  t.push_back(
      {"GET", "/api/v1/linkage/jobs", P::kLinkageReview, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(limit, q.Int("limit", 20, 1, 200));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(jobs, s.dedup->ListJobs(ActorOf(s, req).scope, *limit));
         nlohmann::json items = nlohmann::json::array();
         for (const auto& j : *jobs) items.push_back(JobJson(j, http::RequestLang(req)));
         return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(items.size()), {*limit, 0}));
       }});
  t.push_back({"GET", "/api/v1/linkage/jobs/:id", P::kLinkageReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(job, s.dedup->GetJob(*id, ActorOf(s, req).scope));
                 if (!*job) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "linkage_job.not_found", {{"id", std::to_string(*id)}}, "id").error());
                 }
                 return http::JsonResponse(200, JobJson(**job, http::RequestLang(req)).dump());
               }});
  t.push_back({"POST", "/api/v1/linkage/jobs/:id/cancel", P::kLinkageReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(job, s.dedup->CancelJob(*id, ActorOf(s, req)));
                 (void)AuditRequest(s, req, "cancel", "linkage_job", std::to_string(*id));
                 return http::JsonResponse(200, JobJson(*job, http::RequestLang(req)).dump());
               }});

  // ---- review queue ----
  t.push_back({"GET", "/api/v1/linkage/candidates", P::kLinkageReview, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 static const auto kSorts = db::SortValues(dedup::kCandidateSorts);
                 TRY_OR_RESPOND(status, q.OneOf("status", {"pending", "confirmed", "rejected", "all"}));
                 TRY_OR_RESPOND(sort, q.OneOf("sort", kSorts));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 100));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 const std::string st_value = status->value_or("pending");
                 TRY_OR_RESPOND(page, s.dedup->Candidates(st_value, actor.scope, paging->limit, paging->offset,
                                                          sort->value_or("")));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& c : page->first) {
                   TRY_OR_RESPOND(j, CandidateJson(s, c, actor.scope, http::RequestLang(req)));
                   items.push_back(std::move(*j));
                 }
                 if (auto st = AuditRequest(s, req, "search", "linkage_candidate", "",
                                            nlohmann::json{{"status", st_value}, {"returned", items.size()}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});
  t.push_back(
      {"GET", "/api/v1/linkage/candidates/:id", P::kLinkageReview, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         auto actor = ActorOf(s, req);
         TRY_OR_RESPOND(c, s.dedup->Candidate(*id, actor.scope));
         if (!*c) {
           return http::ErrorResponse(
               Failure(Code::kNotFound, "linkage_candidate.not_found", {{"id", std::to_string(*id)}}, "id").error());
         }
         TRY_OR_RESPOND(j, CandidateJson(s, **c, actor.scope, http::RequestLang(req)));
         if (auto st = AuditRequest(s, req, "view", "linkage_candidate", std::to_string(*id)); !st)
           return http::ErrorResponse(st.error());
         return http::JsonResponse(200, j->dump());
       }});
  t.push_back({"POST", "/api/v1/linkage/candidates/:id/confirm", P::kLinkageReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(keep, r.OptionalInt("keep", 1, INT64_MAX));
                 TRY_OR_RESPOND(comment, r.OptionalString("comment", 1000));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 std::optional<std::int64_t> keep_id;
                 if (*keep) keep_id = static_cast<std::int64_t>(**keep);
                 TRY_OR_RESPOND(c, s.dedup->Confirm(*id, keep_id, comment->value_or(""), actor));
                 // The decision is recorded; the pair's personal data is shown only with an audit line.
                 if (auto st =
                         AuditRequest(s, req, "confirm", "linkage_candidate", std::to_string(*id),
                                      nlohmann::json{{"change_request_id", c->change_request_id.value_or(0)}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 TRY_OR_RESPOND(j, CandidateJson(s, *c, actor.scope, http::RequestLang(req)));
                 return http::JsonResponse(200, j->dump());
               }});
  t.push_back({"POST", "/api/v1/linkage/candidates/:id/reject", P::kLinkageReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(comment, r.OptionalString("comment", 1000));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(c, s.dedup->Reject(*id, comment->value_or(""), actor));
                 if (auto st = AuditRequest(s, req, "reject", "linkage_candidate", std::to_string(*id),
                                            nlohmann::json{{"comment", c->comment.value_or("")}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 TRY_OR_RESPOND(j, CandidateJson(s, *c, actor.scope, http::RequestLang(req)));
                 return http::JsonResponse(200, j->dump());
               }});
  t.push_back({"POST", "/api/v1/linkage/candidates/:id/reopen", P::kLinkageReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 // The rejection's comment is cleared on the pair: the audit line keeps what was undone.
                 TRY_OR_RESPOND(before, s.dedup->Candidate(*id, actor.scope));
                 const std::string undone = *before ? (**before).comment.value_or("") : "";
                 TRY_OR_RESPOND(c, s.dedup->Reopen(*id, actor));
                 if (auto st = AuditRequest(s, req, "reopen", "linkage_candidate", std::to_string(*id),
                                            nlohmann::json{{"undone_comment", undone}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 TRY_OR_RESPOND(j, CandidateJson(s, *c, actor.scope, http::RequestLang(req)));
                 return http::JsonResponse(200, j->dump());
               }});

  // ---- cross-programme check ----
  t.push_back({"GET", "/api/v1/linkage/cross-programme/rules", P::kLinkageReview, [](http::Request&) {
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& r : dedup::CrossProgrammeRules()) {
                   items.push_back(
                       {{"id", r.id}, {"programme", r.programme}, {"other", r.other}, {"legal_basis", r.legal_basis}});
                 }
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(items.size()),
                                                               {static_cast<int>(items.size()), 0}));
               }});
  t.push_back({"GET", "/api/v1/linkage/cross-programme", P::kLinkageReview, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(rule, q.String("rule", 60));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 const std::string rule_id = rule->value_or("asd_family_allowances");
                 TRY_OR_RESPOND(page, s.dedup->CrossProgramme(rule_id, actor.scope, paging->limit, paging->offset));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& c : page->first) {
                   nlohmann::json sources = nlohmann::json::array();
                   if (c.registry_flag) sources.push_back({{"kind", "registry"}});
                   for (const auto& l : c.lists) sources.push_back({{"kind", "list"}, {"name", l}});
                   items.push_back({{"person_id", c.person_id},
                                    {"household_id", c.household_id},
                                    {"household_ref", c.household_ref},
                                    {"commune_code", c.commune_code},
                                    {"given_name_ar", OrNull(c.given_name_ar)},
                                    {"family_name_ar", OrNull(c.family_name_ar)},
                                    {"given_name_lat", OrNull(c.given_name_lat)},
                                    {"family_name_lat", OrNull(c.family_name_lat)},
                                    {"national_id", OrNull(c.national_id)},
                                    {"birth_date", OrNull(c.birth_date)},
                                    {"programme_last_date", c.first_programme_last_date},
                                    {"programme_payments", c.first_programme_count},
                                    {"other_sources", sources}});
                 }
                 if (auto st = AuditRequest(s, req, "search", "cross_programme", rule_id,
                                            nlohmann::json{{"returned", items.size()}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});
  t.push_back(
      {"POST", "/api/v1/linkage/external-lists", P::kLinkageReview,
       [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(name, q.String("name", 200));
         TRY_OR_RESPOND(programme, q.String("programme", 40));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*name || (*name)->empty()) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "name"}}, "name").error());
         }
         const std::string prog = programme->value_or("family_allowances");
         if (!ValidCode(prog)) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "external_list.bad_programme", {{"value", prog}}, "programme").error());
         }
         auto actor = ActorOf(s, req);
         TRY_OR_RESPOND(list, s.dedup->UploadExternalList(**name, prog, req.body, actor));
         (void)AuditRequest(s, req, "upload", "external_list", std::to_string(list->id),
                            nlohmann::json{{"rows", list->rows_total}, {"matched", list->matched}}.dump());
         return http::JsonResponse(201, ListJsonOf(*list).dump());
       },
       kMaxListBody});
  t.push_back({"GET", "/api/v1/linkage/external-lists", P::kLinkageReview, [&s](http::Request& req) {
                 auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(lists, s.dedup->ExternalLists(actor.scope));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& l : *lists) items.push_back(ListJsonOf(l));
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(items.size()),
                                                               {static_cast<int>(items.size()), 0}));
               }});
}

}  // namespace sanad::api

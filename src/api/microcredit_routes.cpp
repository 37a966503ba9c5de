// Micro-credit routes (docs/microcredit.md). The schedule preview is public: officers, citizens and
// partner systems call it before anything is recorded; it reads no personal data and writes nothing.
// The lifecycle routes parse, call microcredit::Lifecycle with the caller's scope, audit, and answer.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/microcredit_json.h"
#include "api/services.h"
#include "http/rate_limiter.h"
#include "i18n/catalogue.h"
#include "microcredit/lifecycle.h"
#include "microcredit/schedule.h"

namespace sanad::api {
namespace {

// Whole dinars as the JSON shows them; every amount also carries its minor units.
nlohmann::json ScheduleJson(const microcredit::Schedule& s) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : s.instalments) {
    items.push_back({{"n", i.n},
                     {"due_on", i.due_on.ToString()},
                     {"principal", i.principal_minor / microcredit::kMinorPerDinar},
                     {"principal_minor", i.principal_minor},
                     {"interest", i.interest_minor / microcredit::kMinorPerDinar}});
  }
  return {{"grace_months", s.grace_months},
          {"instalments", std::move(items)},
          {"total", s.total_minor / microcredit::kMinorPerDinar},
          {"total_minor", s.total_minor}};
}

// "DZ-01" … "DZ-69": the wilaya codes of the areas reference (src/geo).
bool IsWilayaCode(const std::string& code) {
  if (code.size() != 5 || code.compare(0, 3, "DZ-") != 0) return false;
  if (code[3] < '0' || code[3] > '9' || code[4] < '0' || code[4] > '9') return false;
  const int n = (code[3] - '0') * 10 + (code[4] - '0');
  return n >= 1 && n <= 69;
}

Result<nlohmann::json> Preview(const nlohmann::json& body) {
  http::ObjectReader r(body);
  auto product_name = r.RequiredString("product", 20);
  if (!product_name) return std::unexpected(product_name.error());
  auto principal = r.OptionalInt("principal", 1, 1'000'000'000);
  if (!principal) return std::unexpected(principal.error());
  auto disbursed = r.RequiredString("disbursed_on", 10);
  if (!disbursed) return std::unexpected(disbursed.error());
  auto wilaya = r.OptionalString("wilaya", 10);
  if (!wilaya) return std::unexpected(wilaya.error());
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  const auto product = microcredit::ParseProduct(*product_name);
  if (!product) {
    return Failure(Code::kInvalidArgument, "microcredit.product_unknown", {{"value", *product_name}}, "product");
  }
  if (!*principal) return Failure(Code::kInvalidArgument, "field.required", {{"field", "principal"}}, "principal");
  auto on = ParseDate(*disbursed, "disbursed_on");
  if (!on) return std::unexpected(on.error());
  const std::int64_t minor = **principal * microcredit::kMinorPerDinar;
  if (*product == microcredit::ProductCode::kPnr) {
    if (!*wilaya) return Failure(Code::kInvalidArgument, "field.required", {{"field", "wilaya"}}, "wilaya");
    if (!IsWilayaCode(**wilaya)) {
      return Failure(Code::kInvalidArgument, "microcredit.wilaya_invalid", {{"value", **wilaya}}, "wilaya");
    }
    auto plan = microcredit::PlanPnr(minor, *on, **wilaya);
    if (!plan) return std::unexpected(plan.error());
    nlohmann::json out{{"product", "PNR"},
                       {"currency", "DZD"},
                       {"principal", **principal},
                       {"wilaya", **wilaya},
                       {"disbursed_on", on->ToString()},
                       {"ceiling", plan->ceiling_minor / microcredit::kMinorPerDinar},
                       {"interest_free", true},
                       {"parameters_from", plan->parameters.effective_from.ToString()},
                       {"legal_basis", plan->parameters.legal_basis}};
    out.update(ScheduleJson(plan->schedule));
    return out;
  }
  if (*wilaya && !IsWilayaCode(**wilaya)) {
    return Failure(Code::kInvalidArgument, "microcredit.wilaya_invalid", {{"value", **wilaya}}, "wilaya");
  }
  auto plan = microcredit::PlanTriangular(minor, *on);
  if (!plan) return std::unexpected(plan.error());
  const auto& p = plan->parameters;
  nlohmann::json bank = ScheduleJson(plan->bank);
  bank["lender"] = "bank";
  bank["percent"] = p.bank_percent;
  bank["interest_subsidy_percent"] = p.bank_interest_subsidy_percent;
  bank["term_months"] = p.bank_term_months;
  bank["principal_deferral_months"] = p.bank_principal_deferral_months;
  bank["interest_deferral_months"] = p.bank_interest_deferral_months;
  bank["guarantee_fund"] = p.guarantee_fund;
  nlohmann::json angem = ScheduleJson(plan->angem);
  angem["lender"] = "ANGEM";
  angem["percent"] = p.angem_percent;
  angem["interest_free"] = true;
  angem["term_months"] = p.angem_term_months;
  angem["principal_deferral_months"] = p.angem_deferral_months;
  nlohmann::json out{{"product", "TRIANGULAR"},
                     {"currency", "DZD"},
                     {"project_cost", **principal},
                     {"disbursed_on", on->ToString()},
                     {"ceiling", p.max_cost_minor / microcredit::kMinorPerDinar},
                     {"personal_contribution", plan->personal_minor / microcredit::kMinorPerDinar},
                     {"personal_percent", p.personal_percent},
                     {"loans", nlohmann::json::array({std::move(bank), std::move(angem)})},
                     {"total", (plan->bank.total_minor + plan->angem.total_minor + plan->personal_minor) /
                                   microcredit::kMinorPerDinar},
                     {"parameters_from", p.effective_from.ToString()},
                     {"legal_basis", p.legal_basis}};
  if (*wilaya) out["wilaya"] = **wilaya;
  return out;
}

double Rate(double r) { return std::round(r * 1e6) / 1e6; }

std::string Money(std::int64_t minor) {
  return minor % 100 == 0 ? std::to_string(minor / 100) : fmt::format("{}.{:02d}", minor / 100, minor % 100);
}

nlohmann::json ApplicationJson(const microcredit::Application& a, i18n::Lang lang) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"id", a.id},
          {"person_id", a.person_id},
          {"commune_code", a.commune_code},
          {"wilaya_code", a.wilaya_code},
          {"product", a.product},
          {"amount", Money(a.amount_minor)},
          {"amount_minor", a.amount_minor},
          {"applied_on", a.applied_on},
          {"activity", a.activity},
          {"state", a.state},
          {"reasons", MicrocreditReasonsJson(a.reasons, lang)},
          {"training_required", a.training_required},
          {"training_sessions", a.training_sessions},
          {"training_completed", a.training_completed},
          {"decision_minutes", opt(a.decision_minutes)},
          {"decided_by", opt(a.decided_by)},
          {"decided_at", opt(a.decided_at)},
          {"created_by", a.created_by},
          {"created_at", a.created_at}};
}

nlohmann::json FiguresJson(const microcredit::QualityFigures& q) {
  nlohmann::json buckets = nlohmann::json::array();
  for (int b = 0; b < microcredit::kBuckets; ++b) {
    buckets.push_back({{"bucket", microcredit::BucketName(b)},
                       {"loans", q.bucket_loans[static_cast<std::size_t>(b)]},
                       {"outstanding_minor", q.bucket_outstanding_minor[static_cast<std::size_t>(b)]}});
  }
  return {{"loans", q.loans},
          {"active_loans", q.active_loans},
          {"disbursed_minor", q.disbursed_minor},
          {"outstanding_minor", q.outstanding_minor},
          {"overdue_minor", q.overdue_minor},
          {"par1_minor", q.par1_minor},
          {"par30_minor", q.par30_minor},
          {"par90_minor", q.par90_minor},
          {"par1", Rate(q.Par1())},
          {"par30", Rate(q.Par30())},
          {"par90", Rate(q.Par90())},
          {"arrears_rate", Rate(q.ArrearsRate())},
          {"repayment_rate", Rate(q.RepaymentRate())},
          {"write_off_ratio", Rate(q.WriteOffRatio())},
          {"due_minor", q.due_minor},
          {"repaid_on_due_minor", q.repaid_on_due_minor},
          {"written_off_minor", q.written_off_minor},
          {"buckets", buckets}};
}

nlohmann::json LoanJson(const microcredit::LoanView& v) {
  const auto& l = v.loan;
  auto opt = [](const std::optional<std::string>& x) { return x ? nlohmann::json(*x) : nlohmann::json(nullptr); };
  nlohmann::json instalments = nlohmann::json::array();
  for (const auto& i : v.instalments) {
    instalments.push_back({{"n", i.instalment.n},
                           {"due_on", i.instalment.due_on},
                           {"principal_minor", i.instalment.principal_minor},
                           {"paid_minor", i.ageing.paid_minor},
                           {"unpaid_minor", i.ageing.unpaid_minor},
                           {"days_in_arrears", i.ageing.days_in_arrears}});
  }
  nlohmann::json repayments = nlohmann::json::array();
  for (const auto& r : l.repayments) {
    repayments.push_back({{"id", r.id},
                          {"paid_on", r.paid_on},
                          {"amount_minor", r.amount_minor},
                          {"reference", r.reference},
                          {"source", r.source},
                          {"recorded_by", r.recorded_by}});
  }
  return {{"id", l.id},
          {"application_id", l.application_id},
          {"person_id", l.person_id},
          {"product", l.product},
          {"lender", l.lender},
          {"principal_minor", l.principal_minor},
          {"currency", l.currency},
          {"disbursed_on", l.disbursed_on},
          {"commune_code", l.commune_code},
          {"wilaya_code", l.wilaya_code},
          {"state", l.state},
          {"closed_on", opt(l.closed_on)},
          {"written_off_on", opt(l.written_off_on)},
          {"as_of", v.as_of},
          {"outstanding_minor", v.ageing.outstanding_minor},
          {"overdue_minor", v.ageing.overdue_minor},
          {"repaid_minor", v.ageing.repaid_minor},
          {"days_in_arrears", v.ageing.days_in_arrears},
          {"bucket", microcredit::BucketName(v.bucket)},
          {"instalments", instalments},
          {"repayments", repayments}};
}

using Life = std::shared_ptr<microcredit::Lifecycle>;

http::Response Audited(Services& s, const http::Request& req, const std::string& action, const std::string& type,
                       std::int64_t id, int status, const nlohmann::json& body) {
  if (auto st = AuditRequest(s, req, action, type, std::to_string(id)); !st) return http::ErrorResponse(st.error());
  return http::JsonResponse(status, body.dump());
}

}  // namespace

microcredit::Actor MicrocreditActorOf(const Services& s, const http::Request& req) {
  const registry::Actor a = ActorOf(s, req);
  return {a.username, {a.scope.area, a.scope.today}, FormatTimestamp(s.clock.Now()), a.scope.today};
}

nlohmann::json MicrocreditReasonsJson(const std::vector<microcredit::ReasonRow>& reasons, i18n::Lang lang) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : reasons) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : r.params) params[k] = v;
    out.push_back(
        {{"code", r.reason}, {"params", params}, {"text", i18n::Render(lang, r.reason, r.params).value_or(r.reason)}});
  }
  return out;
}

void AddMicrocreditRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  http::Route preview{"POST", "/api/v1/microcredit/schedule-preview", P::kPublic, [](http::Request& req) {
                        TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                        TRY_OR_RESPOND(out, Preview(*body));
                        return http::JsonResponse(200, out->dump());
                      }};
  // Public and cheap, but bounded like the programmes' simulator: 60 a minute per address, 20 at once.
  preview.max_body = 4 * 1024;
  preview.limit = std::make_shared<http::RateLimiter>(60, 20);
  t.push_back(std::move(preview));

  auto store = std::make_shared<microcredit::MicrocreditStore>(s.db);
  Life life(new microcredit::Lifecycle(*store), [store](microcredit::Lifecycle* p) { delete p; });
  AddMicrocreditPreRegistrationRoutes(t, s, store, life);
  AddMicrocreditCollectionRoutes(t, s, store, life);

  t.push_back(
      {"PUT", "/api/v1/microcredit/quotas", P::kMicrocreditManage, [&s, store](http::Request& req) {
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(year, r.OptionalInt("year", 2000, 2100));
         TRY_OR_RESPOND(area, r.RequiredString("area_code", 16));
         TRY_OR_RESPOND(projects, r.OptionalInt("projects", 0, 1'000'000));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*year || !*projects) {
           const char* f = !*year ? "year" : "projects";
           return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", f}}, f).error());
         }
         const auto actor = ActorOf(s, req);
         // The quota's area must lie in the caller's scope (a commune or a wilaya under it).
         auto session = s.db.Acquire();
         TRY_OR_RESPOND(within, s.registry->households.AreaWithin(session, *area, actor.scope));
         if (!*within) {
           return http::ErrorResponse(
               Failure(Code::kNotFound, "area.not_found", {{"code", *area}}, "area_code").error());
         }
         TRY_OR_RESPOND(done,
                        store->SetQuota(**year, *area, **projects, FormatTimestamp(s.clock.Now()), actor.username));
         nlohmann::json out{{"year", **year}, {"area_code", *area}, {"projects", **projects}};
         if (auto st = AuditRequest(s, req, "update", "microcredit_quota", *area, out.dump()); !st)
           return http::ErrorResponse(st.error());
         return http::JsonResponse(200, out.dump());
       }});

  t.push_back({"GET", "/api/v1/microcredit/applications", P::kMicrocreditRead, [&s, store](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(state, q.OneOf("state", {"submitted", "ineligible", "waiting_quota", "approved",
                                                         "rejected", "disbursed"}));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(rows, store->ListApplications(actor.scope, *state, paging->limit, paging->offset));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& a : *rows) items.push_back(ApplicationJson(a, http::RequestLang(req)));
                 if (auto st = AuditRequest(s, req, "list", "microcredit_application", "", ""); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(rows->size()), *paging));
               }});

  t.push_back(
      {"POST", "/api/v1/microcredit/applications", P::kMicrocreditManage, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
         TRY_OR_RESPOND(product, r.RequiredString("product", 20));
         TRY_OR_RESPOND(amount, r.OptionalInt("amount", 1, 1'000'000'000));
         TRY_OR_RESPOND(applied_on, r.RequiredString("applied_on", 10));
         TRY_OR_RESPOND(activity, r.RequiredString("activity", 200));
         TRY_OR_RESPOND(training, r.OptionalBool("training_required"));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*person || !*amount) {
           const char* f = !*person ? "person_id" : "amount";
           return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", f}}, f).error());
         }
         microcredit::ApplyInput in{**person,    *product,  **amount * microcredit::kMinorPerDinar,
                                    *applied_on, *activity, training->value_or(false)};
         TRY_OR_RESPOND(a, life->Apply(in, MicrocreditActorOf(s, req)));
         return Audited(s, req, "create", "microcredit_application", a->id, 201,
                        ApplicationJson(*a, http::RequestLang(req)));
       }});

  t.push_back(
      {"GET", "/api/v1/microcredit/applications/:id", P::kMicrocreditRead, [&s, life, store](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(a, life->Get(*id, MicrocreditActorOf(s, req)));
         TRY_OR_RESPOND(scores, store->Scores(*id));
         TRY_OR_RESPOND(loans, store->LoansOfApplication(*id));
         nlohmann::json out = ApplicationJson(*a, http::RequestLang(req));
         nlohmann::json sc = nlohmann::json::array();
         for (const auto& x : *scores) {
           sc.push_back({{"member", x.member}, {"score", x.score}, {"comment", x.comment}, {"scored_at", x.scored_at}});
         }
         out["scores"] = sc;
         out["loan_ids"] = *loans;
         return Audited(s, req, "view", "microcredit_application", *id, 200, out);
       }});

  t.push_back(
      {"POST", "/api/v1/microcredit/applications/:id/training", P::kMicrocreditManage, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(sessions, r.OptionalInt("sessions_attended", 0, 1000));
         TRY_OR_RESPOND(completed, r.OptionalBool("completed"));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(a, life->RecordTraining(*id, sessions->value_or(0), completed->value_or(false),
                                                MicrocreditActorOf(s, req)));
         return Audited(s, req, "update", "microcredit_application", *id, 200,
                        ApplicationJson(*a, http::RequestLang(req)));
       }});

  t.push_back(
      {"POST", "/api/v1/microcredit/applications/:id/scores", P::kMicrocreditCommittee, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(score, r.OptionalInt("score", 0, 20));
         TRY_OR_RESPOND(comment, r.OptionalString("comment", 2000));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*score) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "score"}}, "score").error());
         }
         if (auto st = life->Score(*id, **score, comment->value_or(""), MicrocreditActorOf(s, req)); !st)
           return http::ErrorResponse(st.error());
         return Audited(s, req, "score", "microcredit_application", *id, 200,
                        nlohmann::json{{"application_id", *id}, {"score", **score}});
       }});

  t.push_back({"POST", "/api/v1/microcredit/applications/:id/decision", P::kMicrocreditCommittee,
               [&s, life](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(decision, r.RequiredString("decision", 10));
                 TRY_OR_RESPOND(minutes, r.RequiredString("minutes", 10000));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (*decision != "approve" && *decision != "reject") {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "microcredit.decision_invalid",
                                                      {{"value", *decision}}, "decision")
                                                  .error());
                 }
                 if (minutes->empty()) {
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "field.required", {{"field", "minutes"}}, "minutes").error());
                 }
                 TRY_OR_RESPOND(a, life->Decide(*id, *decision == "approve", *minutes, MicrocreditActorOf(s, req)));
                 return Audited(s, req, *decision, "microcredit_application", *id, 200,
                                ApplicationJson(*a, http::RequestLang(req)));
               }});

  t.push_back(
      {"POST", "/api/v1/microcredit/applications/:id/disburse", P::kMicrocreditManage, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(on, r.RequiredString("disbursed_on", 10));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(loans, life->Disburse(*id, *on, MicrocreditActorOf(s, req)));
         return Audited(s, req, "disburse", "microcredit_application", *id, 201,
                        nlohmann::json{{"application_id", *id}, {"loan_ids", *loans}});
       }});

  t.push_back({"GET", "/api/v1/microcredit/loans/:id", P::kMicrocreditRead, [&s, life](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(as_of, q.Date("as_of"));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(v, life->LoanOn(*id, as_of->value_or(actor.today), actor));
                 return Audited(s, req, "view", "microcredit_loan", *id, 200, LoanJson(*v));
               }});

  t.push_back(
      {"POST", "/api/v1/microcredit/loans/:id/repayments", P::kMicrocreditManage, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(paid_on, r.RequiredString("paid_on", 10));
         TRY_OR_RESPOND(reference, r.RequiredString("reference", 64));
         TRY_OR_RESPOND(dinars, r.OptionalInt("amount", 1, 1'000'000'000));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*dinars) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "amount"}}, "amount").error());
         }
         const std::optional<std::int64_t> amount = **dinars * microcredit::kMinorPerDinar;
         const auto actor = MicrocreditActorOf(s, req);
         auto done = life->Repay(*id, *paid_on, *amount, *reference, actor);
         if (!done) {
           if (done.error().code == Code::kAlreadyExists) {
             return http::ErrorResponse(
                 Failure(Code::kConflict, "microcredit.reference_recorded", {}, "reference").error());
           }
           return http::ErrorResponse(done.error());
         }
         TRY_OR_RESPOND(v, life->LoanOn(*id, actor.today, actor));
         return Audited(s, req, "repay", "microcredit_loan", *id, 201, LoanJson(*v));
       }});

  http::Route import{"POST", "/api/v1/microcredit/repayments/import", P::kMicrocreditManage,
                     [&s, life](http::Request& req) {
                       TRY_OR_RESPOND(lines, life->ImportRepayments(req.body, MicrocreditActorOf(s, req)));
                       nlohmann::json report = nlohmann::json::array();
                       for (const auto& l : *lines) {
                         report.push_back({{"line", l.line},
                                           {"loan_id", l.loan_id},
                                           {"paid_on", l.paid_on},
                                           {"amount_minor", l.amount_minor},
                                           {"reference", l.reference},
                                           {"status", "recorded"}});
                       }
                       return Audited(s, req, "import", "microcredit_repayments", 0, 200,
                                      nlohmann::json{{"applied", true}, {"lines", report}});
                     }};
  import.max_body = 2 * 1024 * 1024;
  t.push_back(std::move(import));

  t.push_back(
      {"POST", "/api/v1/microcredit/loans/:id/write-off", P::kMicrocreditCommittee, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(on, r.RequiredString("on", 10));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         const auto actor = MicrocreditActorOf(s, req);
         TRY_OR_RESPOND(done, life->WriteOff(*id, *on, actor));
         if (!*done) {
           return http::ErrorResponse(Failure(Code::kConflict, "microcredit.loan_not_active",
                                              {{"id", std::to_string(*id)}, {"state", "?"}}, "id")
                                          .error());
         }
         TRY_OR_RESPOND(v, life->LoanOn(*id, *on, actor));
         return Audited(s, req, "write_off", "microcredit_loan", *id, 200, LoanJson(*v));
       }});

  t.push_back(
      {"POST", "/api/v1/microcredit/loans/:id/reschedule", P::kMicrocreditManage, [&s, life](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(instalments, r.OptionalInt("instalments", 1, 60));
         TRY_OR_RESPOND(first, r.RequiredString("first_due_on", 10));
         TRY_OR_RESPOND(reason, r.RequiredString("reason", 2000));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*instalments) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "instalments"}}, "instalments").error());
         }
         TRY_OR_RESPOND(rs, life->RequestReschedule(*id, **instalments, *first, *reason, MicrocreditActorOf(s, req)));
         return Audited(s, req, "reschedule_request", "microcredit_loan", *id, 201,
                        nlohmann::json{{"id", rs->id},
                                       {"loan_id", rs->loan_id},
                                       {"instalments", rs->instalments},
                                       {"first_due_on", rs->first_due_on},
                                       {"reason", rs->reason},
                                       {"state", rs->state},
                                       {"requested_by", rs->requested_by}});
       }});

  t.push_back({"POST", "/api/v1/microcredit/loans/:id/reschedule/decision", P::kMicrocreditCommittee,
               [&s, life](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(decision, r.RequiredString("decision", 10));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (*decision != "approve" && *decision != "reject") {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "microcredit.decision_invalid",
                                                      {{"value", *decision}}, "decision")
                                                  .error());
                 }
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(done, life->DecideReschedule(*id, *decision == "approve", actor));
                 if (!*done) {
                   return http::ErrorResponse(Failure(Code::kConflict, "microcredit.no_reschedule", {}, "id").error());
                 }
                 TRY_OR_RESPOND(v, life->LoanOn(*id, actor.today, actor));
                 return Audited(s, req, "reschedule_" + *decision, "microcredit_loan", *id, 200, LoanJson(*v));
               }});

  t.push_back({"GET", "/api/v1/microcredit/portfolio", P::kMicrocreditRead, [&s, life](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(as_of, q.Date("as_of"));
                 TRY_OR_RESPOND(by, q.OneOf("by", {"wilaya", "commune", "product", "cohort", "sex"}));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const std::string group = by->value_or("wilaya");
                 const auto g = group == "commune"   ? microcredit::GroupBy::kCommune
                                : group == "product" ? microcredit::GroupBy::kProduct
                                : group == "cohort"  ? microcredit::GroupBy::kCohort
                                : group == "sex"     ? microcredit::GroupBy::kSex
                                                     : microcredit::GroupBy::kWilaya;
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(rep, life->Portfolio(as_of->value_or(actor.today), g, actor));
                 nlohmann::json groups = nlohmann::json::array();
                 for (const auto& row : rep->groups) {
                   nlohmann::json j = FiguresJson(row.figures);
                   j["group"] = row.group;
                   groups.push_back(std::move(j));
                 }
                 nlohmann::json out{{"as_of", rep->as_of},
                                    {"by", group},
                                    {"currency", "DZD"},
                                    {"total", FiguresJson(rep->total)},
                                    {"groups", groups}};
                 return http::JsonResponse(200, out.dump());
               }});
}

}  // namespace sanad::api

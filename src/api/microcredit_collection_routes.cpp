// Collection tasks of officers on micro-credit loans (docs/microcredit.md "Collection tasks"): the
// tasks of a loan, the officer's list with each loan's days in arrears (the caller's area, in the
// query), closing a task with its outcome, and the nightly proposal of field visits run on demand.
#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/microcredit_json.h"
#include "api/services.h"
#include "microcredit/collection.h"
#include "microcredit/product.h"

namespace sanad::api {
namespace {

using nlohmann::json;

json TaskJson(const microcredit::TaskView& v) {
  const auto& t = v.task;
  return {{"id", t.id},
          {"loan_id", t.loan_id},
          {"kind", t.kind},
          {"assigned_to", OrNull(t.assigned_to)},
          {"due_on", t.due_on},
          {"state", t.state},
          {"outcome", OrNull(t.outcome)},
          {"promised_amount_minor", t.promised_amount_minor ? json(*t.promised_amount_minor) : json(nullptr)},
          {"promised_on", OrNull(t.promised_on)},
          {"promise_state", OrNull(v.promise_state)},
          {"days_in_arrears", v.days_in_arrears},
          {"commune_code", t.commune_code},
          {"source", t.source},
          {"created_by", t.created_by},
          {"created_at", t.created_at},
          {"closed_by", OrNull(t.closed_by)},
          {"closed_at", OrNull(t.closed_at)}};
}

json JobJson(const jobs::JobRecord& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", std::string(jobs::StateName(j.state))},
          {"result", j.result ? *j.result : json()},
          {"created_at", j.created_at}};
}

using Coll = std::shared_ptr<microcredit::Collection>;

}  // namespace

void AddMicrocreditCollectionRoutes(http::RouteTable& t, Services& s,
                                    std::shared_ptr<microcredit::MicrocreditStore> store,
                                    std::shared_ptr<microcredit::Lifecycle> life) {
  using P = auth::Permission;
  Coll coll(new microcredit::Collection(*store, *life), [store, life](microcredit::Collection* p) { delete p; });

  t.push_back({"GET", "/api/v1/microcredit/loans/:id/tasks", P::kMicrocreditRead, [&s, coll](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(tasks, coll->OfLoan(*id, MicrocreditActorOf(s, req)));
                 json items = json::array();
                 for (const auto& v : *tasks) items.push_back(TaskJson(v));
                 if (auto st = AuditRequest(s, req, "view", "microcredit_loan_tasks", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, json{{"items", items}}.dump());
               }});

  t.push_back({"POST", "/api/v1/microcredit/loans/:id/tasks", P::kMicrocreditManage, [&s, coll](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(kind, r.RequiredString("kind", 20));
                 TRY_OR_RESPOND(assigned, r.OptionalString("assigned_to", 100));
                 TRY_OR_RESPOND(due, r.RequiredString("due_on", 10));
                 TRY_OR_RESPOND(amount, r.OptionalInt("promised_amount", 1, 1'000'000'000));
                 TRY_OR_RESPOND(promised_on, r.OptionalString("promised_on", 10));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 microcredit::NewTask in{*kind, *assigned, *due, std::nullopt, *promised_on};
                 if (*amount) in.promised_minor = **amount * microcredit::kMinorPerDinar;
                 TRY_OR_RESPOND(task, coll->Add(*id, in, MicrocreditActorOf(s, req)));
                 if (auto st = AuditRequest(s, req, "create", "microcredit_task", std::to_string(task->task.id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(201, TaskJson(*task).dump());
               }});

  t.push_back({"GET", "/api/v1/microcredit/tasks", P::kMicrocreditRead, [&s, coll](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(assigned, q.OneOf("assigned", {"me", "all"}));
                 TRY_OR_RESPOND(state, q.OneOf("state", {"open", "done"}));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 100));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(page, coll->List(assigned->value_or("me") == "me", *state, paging->limit,
                                                 paging->offset, MicrocreditActorOf(s, req)));
                 json items = json::array(), loans = json::array();
                 for (const auto& v : page->first) {
                   items.push_back(TaskJson(v));
                   loans.push_back(v.task.loan_id);
                 }
                 if (auto st = AuditRequest(s, req, "list", "microcredit_task", "", json{{"loans", loans}}.dump()); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});

  t.push_back({"POST", "/api/v1/microcredit/tasks/:id/close", P::kMicrocreditManage, [&s, coll](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(outcome, r.RequiredString("outcome", 2000));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (outcome->find_first_not_of(" \t\n") == std::string::npos) {
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "field.required", {{"field", "outcome"}}, "outcome").error());
                 }
                 TRY_OR_RESPOND(task, coll->Close(*id, *outcome, MicrocreditActorOf(s, req)));
                 if (auto st = AuditRequest(s, req, "close", "microcredit_task", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, TaskJson(*task).dump());
               }});

  if (s.microcredit_collection) {
    t.push_back({"POST", "/api/v1/microcredit/collection/proposals", P::kMicrocreditManage, [&s](http::Request& req) {
                   const auto actor = ActorOf(s, req);
                   TRY_OR_RESPOND(job, s.microcredit_collection->Start(actor.user_id, actor.username));
                   return http::JsonResponse(202, JobJson(*job).dump());
                 }});
    t.push_back(
        {"GET", "/api/v1/microcredit/collection/proposals/:id", P::kMicrocreditManage, [&s](http::Request& req) {
           TRY_OR_RESPOND(id, http::PathId(req));
           TRY_OR_RESPOND(job, s.microcredit_collection->Get(*id));
           if (!*job) {
             return http::ErrorResponse(
                 Failure(Code::kNotFound, "microcredit.collection_not_found", {{"id", std::to_string(*id)}}, "id")
                     .error());
           }
           return http::JsonResponse(200, JobJson(**job).dump());
         }});
  }
}

}  // namespace sanad::api

// Payments (src/payments, docs/payments.md): a household's payment account, the batches of an approved
// cycle, their files (CSV, pain.001.001.03) and reconciliation files (CSV, camt.054.001.02). Reads are
// in the caller's area scope; creating batches, exporting files and reconciling are national acts
// (a file pays or reconciles the whole batch). Every change and every export is audited.
#include <fmt/format.h>

#include <limits>

#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/services.h"
#include "core/csv.h"
#include "i18n/catalogue.h"
#include "payments/money.h"
#include "registry_model/fields.h"

namespace sanad::api {
namespace {

// A reconciliation file is at most this large (413 above): a million lines of the CSV layout.
constexpr std::size_t kMaxReconciliationBytes = 64u << 20;

payments::ReadScope ScopeOf(const registry::Actor& a) { return {a.scope.area, a.scope.today}; }

std::unexpected<Error> NationalOnly() {
  return Failure(Code::kPermissionDenied, std::string(MsgCode("payments.national_only")));
}

std::unexpected<Error> NoBatch(std::int64_t id) {
  return Failure(Code::kNotFound, std::string(MsgCode("payment_batch.not_found")), {{"id", std::to_string(id)}}, "id");
}

nlohmann::json BatchJson(const payments::BatchInfo& b) {
  return {{"id", b.id},
          {"cycle_id", b.cycle_id},
          {"programme", b.programme},
          {"period", b.period},
          {"channel", b.channel},
          {"currency", b.currency},
          {"state", b.state},
          {"payments_count", b.payments_count},
          {"total_minor", b.total_minor},
          {"paid", b.paid},
          {"failed", b.failed},
          {"pending", b.pending},
          {"created_at", b.created_at},
          {"file_format", OrNull(b.file_format)},
          {"file_sha256", OrNull(b.file_sha256)},
          {"exported_at", OrNull(b.exported_at)},
          {"reconciled_at", OrNull(b.reconciled_at)}};
}

nlohmann::json PaymentJson(const payments::PaymentLine& p) {
  return {{"id", p.id},
          {"end_to_end_id", p.end_to_end_id},
          {"household_id", p.household_id},
          {"payee_person_id", OrNull(p.payee_person_id)},
          {"payee_name", p.payee_name},
          {"channel", p.channel},
          {"account", OrNull(p.account)},
          {"amount_minor", p.amount_minor},
          {"currency", p.currency},
          {"status", p.status},
          {"reason", OrNull(p.reason)},
          {"paid_on", OrNull(p.paid_on)},
          {"carried_from", OrNull(p.carried_from)},
          {"carried_to", OrNull(p.carried_to)},
          {"carried_to_cycle", OrNull(p.carried_to_cycle)},
          {"commune_code", p.commune_code},
          {"withdrawal_code_issued", p.withdrawal_code_hash.has_value()}};
}

nlohmann::json ProblemJson(const Problem& p, i18n::Lang lang) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : p.params) params[k] = v;
  return {{"where", p.field}, {"reason", p.reason}, {"params", params}, {"message", i18n::RenderProblem(lang, p)}};
}

nlohmann::json ReportJson(const payments::ReconciliationReport& r, i18n::Lang lang) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems) problems.push_back(ProblemJson(p, lang));
  return {{"id", r.id},           {"batch_id", r.batch_id},       {"format", r.format},
          {"outcome", r.outcome}, {"file_sha256", r.file_sha256}, {"lines", r.lines},
          {"paid", r.paid},       {"failed", r.failed},           {"unchanged", r.unchanged},
          {"problems", problems}, {"imported_at", r.imported_at}, {"imported_by", r.imported_by}};
}

nlohmann::json AccountJson(std::int64_t household_id, const std::optional<payments::StoredAccount>& a) {
  if (!a) {
    // No account on file: paid by cash withdrawal (the default channel).
    return {{"household_id", household_id},
            {"channel", payments::ChannelName(payments::kDefaultChannel)},
            {"default", true},
            {"rib", nullptr},
            {"phone", nullptr},
            {"holder_name", nullptr},
            {"version", 0}};
  }
  const bool bank = a->account.channel == payments::Channel::kBankTransfer;
  const bool wallet = a->account.channel == payments::Channel::kMobileWallet;
  return {{"household_id", household_id},
          {"channel", payments::ChannelName(a->account.channel)},
          {"default", false},
          {"rib", bank ? OrNull(a->account.account) : nlohmann::json()},
          {"phone", wallet ? OrNull(a->account.account) : nlohmann::json()},
          {"holder_name", OrNull(a->account.holder_name)},
          {"updated_at", a->updated_at},
          {"updated_by", a->updated_by},
          {"version", a->version}};
}

// The household in the caller's scope and its country. Errors: kNotFound outside the scope.
Result<payments::Country> HouseholdCountry(Services& s, std::int64_t id, const registry::Actor& actor) {
  auto h = s.registry->households.GetHousehold(id, actor.scope);
  if (!h) return std::unexpected(h.error());
  if (!*h)
    return Failure(Code::kNotFound, std::string(MsgCode("household.not_found")), {{"id", std::to_string(id)}}, "id");
  static const int kCommune = registry::FieldIndex(registry::HouseholdFields(), "commune_code");
  const auto& commune = (*h)->values[static_cast<std::size_t>(kCommune)];
  auto country = payments::CountryOfCommune(commune.value_or(""));
  if (!country) {
    return Failure(Code::kFailedPrecondition, std::string(MsgCode("payment_account.no_country")),
                   {{"id", std::to_string(id)}}, "id");
  }
  return *country;
}

http::Response SetAccount(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(country, HouseholdCountry(s, *id, actor));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  payments::AccountInput in;
  TRY_OR_RESPOND(channel, r.RequiredString("channel", 40));
  TRY_OR_RESPOND(rib, r.OptionalString("rib", 64));
  TRY_OR_RESPOND(holder, r.OptionalString("holder_name", 400));
  TRY_OR_RESPOND(phone, r.OptionalString("phone", 40));
  TRY_OR_RESPOND(version, r.OptionalInt("version", 0, std::numeric_limits<int>::max()));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  in.channel = *channel;
  in.rib = *rib;
  in.holder_name = *holder;
  in.phone = *phone;
  auto account = payments::ValidateAccount(in, *country);
  if (!account) {
    // Well-formed but not a valid account for this household: 422 with every field named.
    Error e = account.error();
    e.code = Code::kFailedPrecondition;
    return http::ErrorResponse(e);
  }
  TRY_OR_RESPOND(stored,
                 s.payments->SetAccount(*id, *account, *version, FormatTimestamp(s.clock.Now()), actor.username));
  // The account number itself stays out of the audit log.
  const std::string details =
      nlohmann::json{{"channel", payments::ChannelName(account->channel)}, {"version", stored->version}}.dump();
  if (auto st = AuditRequest(s, req, "update", "payment_account", std::to_string(*id), details); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, AccountJson(*id, *stored).dump());
}

http::Response CreateBatches(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  if (actor.scope.area) return http::ErrorResponse(NationalOnly().error());
  TRY_OR_RESPOND(made, s.payments->CreateBatches(*id, FormatTimestamp(s.clock.Now()), actor.username));
  nlohmann::json batches = nlohmann::json::array();
  std::int64_t count = 0, total = 0;
  for (const auto& b : made->batches) {
    batches.push_back(BatchJson(b));
    count += b.payments_count;
    total += b.total_minor;
  }
  if (made->created) {
    const std::string details =
        nlohmann::json{{"batches", made->batches.size()}, {"payments", count}, {"total_minor", total}}.dump();
    if (auto st = AuditRequest(s, req, "create", "payment_batches", std::to_string(*id), details); !st)
      return http::ErrorResponse(st.error());
  }
  return http::JsonResponse(made->created ? 201 : 200,
                            nlohmann::json{{"cycle_id", *id}, {"created", made->created}, {"batches", batches}}.dump());
}

http::Response ExportFile(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  http::QueryReader q(req);
  TRY_OR_RESPOND(format, q.OneOf("format", {"csv", "pain001"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  if (actor.scope.area) return http::ErrorResponse(NationalOnly().error());
  const std::string fmt_name = format->value_or("csv");
  TRY_OR_RESPOND(batch, s.payments->Batch(*id, ScopeOf(actor)));
  if (!*batch) return http::ErrorResponse(NoBatch(*id).error());
  TRY_OR_RESPOND(lines, s.payments->Payments(*id, ScopeOf(actor)));
  const std::string now = FormatTimestamp(s.clock.Now());
  Result<payments::PaymentFile> file =
      fmt_name == "csv"
          ? Result<payments::PaymentFile>(payments::WriteCsv(**batch, *lines))
          : payments::WritePain001(**batch, *lines, s.payment_debtor, now, DateOf(s.clock.Now()).ToString());
  if (!file) return http::ErrorResponse(file.error());
  if (auto st = s.payments->RecordExport(*id, fmt_name, file->sha256, now, actor.username); !st)
    return http::ErrorResponse(st.error());
  const std::string details = nlohmann::json{
      {"format", fmt_name},
      {"sha256", file->sha256},
      {"payments", (*batch)->payments_count},
      {"total_minor",
       (*batch)->total_minor}}.dump();
  if (auto st = AuditRequest(s, req, "export", "payment_batch", std::to_string(*id), details); !st)
    return http::ErrorResponse(st.error());
  http::Response resp;
  resp.status = 200;
  resp.content_type = file->content_type;
  resp.body = std::move(file->content);
  resp.Header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file->filename));
  resp.Header("X-Content-SHA256", file->sha256);
  return resp;
}

// The notices of a cash batch: each pending payment's new withdrawal code, for the beneficiaries only
// (letters, SMS). The codes are in this answer and nowhere else: not stored, not logged, not cached.
http::Response IssueCodes(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  if (actor.scope.area) return http::ErrorResponse(NationalOnly().error());
  TRY_OR_RESPOND(issued, s.payments->IssueWithdrawalCodes(*id));
  std::string body = "end_to_end_id,household_id,payee_name,amount_minor,currency,withdrawal_code\r\n";
  for (std::size_t i = 0; i < issued->payments.size(); ++i) {
    const auto& p = issued->payments[i];
    body += fmt::format("{},{},{},{},{},{}\r\n", csv::Escape(p.end_to_end_id), p.household_id,
                        csv::Escape(p.payee_name), p.amount_minor, p.currency, issued->codes[i]);
  }
  const std::string details = nlohmann::json{{"codes", issued->codes.size()}}.dump();
  if (auto st = AuditRequest(s, req, "issue_withdrawal_codes", "payment_batch", std::to_string(*id), details); !st)
    return http::ErrorResponse(st.error());
  http::Response resp;
  resp.status = 200;
  resp.content_type = "text/csv; charset=utf-8";
  resp.body = std::move(body);
  resp.Header("Cache-Control", "no-store");
  resp.Header("Content-Disposition", fmt::format("attachment; filename=\"withdrawal-codes-batch-{}.csv\"", *id));
  return resp;
}

// csv or camt054: the query's format, else the Content-Type, else the first character of the body.
std::string ReconciliationFormat(const http::Request& req, const std::optional<std::string>& asked) {
  if (asked) return *asked;
  if (const auto* ct = req.Header("content-type")) {
    if (ct->find("xml") != std::string::npos) return "camt054";
    if (ct->find("csv") != std::string::npos) return "csv";
  }
  const auto first = req.body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string::npos && req.body[first] == '<' ? "camt054" : "csv";
}

http::Response Reconcile(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  http::QueryReader q(req);
  TRY_OR_RESPOND(asked, q.OneOf("format", {"csv", "camt054"}));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  if (actor.scope.area) return http::ErrorResponse(NationalOnly().error());
  // The batch first: a file for a batch that does not exist is answered as such, whatever it holds.
  TRY_OR_RESPOND(batch, s.payments->Batch(*id, ScopeOf(actor)));
  if (!*batch) return http::ErrorResponse(NoBatch(*id).error());
  const std::string format = ReconciliationFormat(req, *asked);
  const std::string sha256 = payments::Sha256Hex(req.body);
  auto parsed = format == "csv" ? payments::ParseReconciliationCsv(req.body) : payments::ParseCamt054(req.body);
  if (!parsed) {
    Error e = parsed.error();
    e.code = Code::kFailedPrecondition;  // a file we cannot read is refused whole, like a bad line
    // Audited like every import, with why: it has no lines to keep as a report.
    const nlohmann::json unreadable{
        {"format", format}, {"outcome", "unreadable"}, {"reason", e.reason}, {"sha256", sha256}};
    if (auto st = AuditRequest(s, req, "reconcile", "payment_batch", std::to_string(*id), unreadable.dump()); !st)
      return http::ErrorResponse(st.error());
    return http::ErrorResponse(e);
  }
  TRY_OR_RESPOND(rep,
                 s.payments->Reconcile(*id, *parsed, format, sha256, FormatTimestamp(s.clock.Now()), actor.username));
  // One audit event for the whole import, with its counts.
  const std::string details = nlohmann::json{{"report_id", rep->id},        {"format", format},
                                             {"outcome", rep->outcome},     {"lines", rep->lines},
                                             {"paid", rep->paid},           {"failed", rep->failed},
                                             {"unchanged", rep->unchanged}, {"problems", rep->problems.size()},
                                             {"sha256", rep->file_sha256}}
                                  .dump();
  if (auto st = AuditRequest(s, req, "reconcile", "payment_batch", std::to_string(*id), details); !st)
    return http::ErrorResponse(st.error());
  if (rep->outcome == "rejected") {
    auto e = Failures(Code::kFailedPrecondition, std::string(MsgCode("reconciliation.rejected")), rep->problems);
    e.error().params = {{"report_id", std::to_string(rep->id)}, {"problems", std::to_string(rep->problems.size())}};
    return http::ErrorResponse(e.error());
  }
  // The cycle is paid once no payment of it is pending any more (MarkCyclePaid checks that in its query).
  if (rep->outcome == "applied") {
    TRY_OR_RESPOND(paid, s.payments->MarkCyclePaid((*batch)->cycle_id, FormatTimestamp(s.clock.Now())));
  }
  const auto lang = http::RequestLang(req);
  auto resp = http::JsonResponse(200, ReportJson(*rep, lang).dump());
  http::SayLanguage(resp, lang);
  return resp;
}

}  // namespace

void AddPaymentRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/households/:id/payment-account", P::kPaymentsManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 const auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(country, HouseholdCountry(s, *id, actor));
                 TRY_OR_RESPOND(account, s.payments->GetAccount(*id));
                 if (auto st = AuditRequest(s, req, "view", "payment_account", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, AccountJson(*id, *account).dump());
               }});
  t.push_back({"PUT", "/api/v1/households/:id/payment-account", P::kPaymentsManage,
               [&s](http::Request& req) { return SetAccount(s, req); }});
  t.push_back({"POST", "/api/v1/cycles/:id/payment-batches", P::kPaymentsManage,
               [&s](http::Request& req) { return CreateBatches(s, req); }});
  t.push_back({"GET", "/api/v1/cycles/:id/payment-batches", P::kPaymentsManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(batches, s.payments->Batches(*id, ScopeOf(ActorOf(s, req))));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& b : *batches) items.push_back(BatchJson(b));
                 return http::JsonResponse(200, nlohmann::json{{"cycle_id", *id}, {"batches", items}}.dump());
               }});
  t.push_back({"GET", "/api/v1/payment-batches/:id", P::kPaymentsManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(batch, s.payments->Batch(*id, ScopeOf(ActorOf(s, req))));
                 if (!*batch) return http::ErrorResponse(NoBatch(*id).error());
                 return http::JsonResponse(200, BatchJson(**batch).dump());
               }});
  t.push_back({"GET", "/api/v1/payment-batches/:id/payments", P::kPaymentsManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(status, q.OneOf("status", {"pending", "paid", "failed"}));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const auto scope = ScopeOf(ActorOf(s, req));
                 TRY_OR_RESPOND(batch, s.payments->Batch(*id, scope));
                 if (!*batch) return http::ErrorResponse(NoBatch(*id).error());
                 TRY_OR_RESPOND(lines,
                                s.payments->Payments(*id, scope, *status, static_cast<std::size_t>(paging->limit),
                                                     static_cast<std::size_t>(paging->offset)));
                 // Names and accounts of payees: a read of personal data.
                 if (auto st = AuditRequest(s, req, "view", "payment_batch_payments", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& p : *lines) items.push_back(PaymentJson(p));
                 const std::int64_t total = !*status              ? (*batch)->payments_count
                                            : *status == "paid"   ? (*batch)->paid
                                            : *status == "failed" ? (*batch)->failed
                                                                  : (*batch)->pending;
                 return http::JsonResponse(200, http::ListJson(items, total, *paging));
               }});
  t.push_back({"POST", "/api/v1/payment-batches/:id/withdrawal-codes", P::kPaymentsManage,
               [&s](http::Request& req) { return IssueCodes(s, req); }});
  t.push_back({"GET", "/api/v1/payment-batches/:id/file", P::kPaymentsManage,
               [&s](http::Request& req) { return ExportFile(s, req); }});
  http::Route reconcile{"POST", "/api/v1/payment-batches/:id/reconciliation", P::kPaymentsManage,
                        [&s](http::Request& req) { return Reconcile(s, req); }};
  reconcile.max_body = kMaxReconciliationBytes;
  t.push_back(std::move(reconcile));
  t.push_back({"GET", "/api/v1/payment-batches/:id/reconciliations", P::kPaymentsManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 const auto scope = ScopeOf(ActorOf(s, req));
                 TRY_OR_RESPOND(batch, s.payments->Batch(*id, scope));
                 if (!*batch) return http::ErrorResponse(NoBatch(*id).error());
                 TRY_OR_RESPOND(reports, s.payments->Reconciliations(*id));
                 const auto lang = http::RequestLang(req);
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& r : *reports) items.push_back(ReportJson(r, lang));
                 auto resp = http::JsonResponse(200, nlohmann::json{{"batch_id", *id}, {"reports", items}}.dump());
                 http::SayLanguage(resp, lang);
                 return resp;
               }});
}

}  // namespace sanad::api

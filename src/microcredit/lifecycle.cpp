#include "microcredit/lifecycle.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/time.h"
#include "microcredit/same_person.h"
#include "microcredit/schedule.h"

namespace sanad::microcredit {
namespace {

Day DayOfDate(const Date& d) { return DayOf(d.year, d.month, d.day); }

// "1667", "1667.5", "1667.50" → minor units; nullopt otherwise (no sign, at most two decimals).
std::optional<std::int64_t> ParseDinars(std::string_view t) {
  if (t.empty() || t.size() > 15) return std::nullopt;
  std::int64_t whole = 0, cents = 0;
  std::size_t i = 0;
  for (; i < t.size() && t[i] != '.'; ++i) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    whole = whole * 10 + (t[i] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < t.size()) {
    const std::string_view frac = t.substr(i + 1);
    if (frac.empty() || frac.size() > 2) return std::nullopt;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    cents = std::stoll(std::string(frac)) * (frac.size() == 1 ? 10 : 1);
  }
  return whole * kMinorPerDinar + cents;
}

Error NotFound(std::string_view code, std::int64_t id) {
  return Failure(Code::kNotFound, std::string(code), {{"id", std::to_string(id)}}, "id").error();
}

}  // namespace

const std::vector<std::string>& BusinessCreationProgrammes() {
  // ANGEM lines not written by this module (recorded by hand or imported), and the other business-creation
  // schemes (ANSEJ, now ANADE; CNAC).
  static const std::vector<std::string> p{"ANGEM", "ANSEJ", "ANADE", "CNAC"};
  return p;
}

Result<Application> Lifecycle::Apply(const ApplyInput& in, const Actor& who) {
  const auto product = ParseProduct(in.product);
  if (!product)
    return Failure(Code::kInvalidArgument, "microcredit.product_unknown", {{"value", in.product}}, "product");
  auto applied = ParseDate(in.applied_on, "applied_on");
  if (!applied) return std::unexpected(applied.error());
  if (in.activity.empty())
    return Failure(Code::kInvalidArgument, "field.required", {{"field", "activity"}}, "activity");
  auto applicant = store_.ApplicantOf(in.person_id, in.applied_on, who.scope);
  if (!applicant) return std::unexpected(applicant.error());
  if (!*applicant) {
    return Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(in.person_id)}}, "person_id");
  }
  const Applicant& p = **applicant;
  // The amount against the product's ceiling for the applicant's wilaya, on the application date.
  if (*product == ProductCode::kPnr) {
    auto plan = PlanPnr(in.amount_minor, *applied, p.wilaya_code);
    if (!plan) {
      Error e = plan.error();
      if (e.field == "principal" || e.field == "disbursed_on")
        e.field = e.field == "principal" ? "amount" : "applied_on";
      return std::unexpected(e);
    }
  } else {
    auto plan = PlanTriangular(in.amount_minor, *applied);
    if (!plan) {
      Error e = plan.error();
      e.field = e.field == "principal" ? "amount" : "applied_on";
      return std::unexpected(e);
    }
  }
  Application a;
  a.person_id = in.person_id;
  a.commune_code = p.commune_code;
  a.wilaya_code = p.wilaya_code;
  a.product = std::string(ProductName(*product));
  a.amount_minor = in.amount_minor;
  a.applied_on = in.applied_on;
  a.activity = in.activity;
  a.training_required = in.training_required;
  a.created_by = who.username;
  a.created_at = who.now;
  // domain.md §2.1: aged 18 or over; a fixed residence; no earlier business-creation aid.
  auto birth = ParseDate(p.person.birth_date, "birth_date");
  if (!birth || CompletedYears(*birth, *applied) < 18) {
    a.reasons.push_back({"microcredit.reason.under_18", {{"birth_date", p.person.birth_date}}});
  }
  if (p.commune_code.empty() || (!p.status.empty() && p.status != "active")) {
    a.reasons.push_back({"microcredit.reason.no_residence", {}});
  }
  auto candidates = store_.EarlierBorrowerCandidates(in.person_id, p.person.birth_date, p.person.national_id,
                                                     BusinessCreationProgrammes());
  if (!candidates) return std::unexpected(candidates.error());
  std::vector<std::int64_t> same = SamePersons(p.person, *candidates);
  same.push_back(in.person_id);
  auto earlier = store_.EarlierAidOf(same, BusinessCreationProgrammes());
  if (!earlier) return std::unexpected(earlier.error());
  for (const auto& e : *earlier) {
    if (e.kind == "loan") {
      a.reasons.push_back(
          {"microcredit.reason.earlier_loan",
           {{"loan", std::to_string(e.ref)}, {"person", std::to_string(e.person_id)}, {"date", e.date}}});
    } else {
      a.reasons.push_back({"microcredit.reason.earlier_aid",
                           {{"programme", e.what}, {"person", std::to_string(e.person_id)}, {"date", e.date}}});
    }
  }
  if (!a.reasons.empty()) {
    a.state = "ineligible";
    return store_.InsertApplication(a);
  }
  // Yearly quotas, wilaya then commune: over quota the application waits, with the reason (checked and
  // taken atomically in the store).
  a.state = "submitted";
  return store_.InsertWithinQuotas(a, applied->year);
}

Result<Application> Lifecycle::Get(std::int64_t id, const Actor& who) {
  auto a = store_.GetApplication(id, who.scope);
  if (!a) return std::unexpected(a.error());
  if (!*a) return std::unexpected(NotFound("microcredit.application_not_found", id));
  return **a;
}

Result<Application> Lifecycle::RecordTraining(std::int64_t id, std::int64_t sessions, bool completed,
                                              const Actor& who) {
  auto a = Get(id, who);
  if (!a) return a;
  auto set = store_.SetTraining(id, sessions, completed);
  if (!set) return std::unexpected(set.error());
  if (!*set) {
    return Failure(Code::kFailedPrecondition, "microcredit.not_submitted", {{"state", a->state}}, "id");
  }
  return Get(id, who);
}

Status Lifecycle::Score(std::int64_t id, std::int64_t score, const std::string& comment, const Actor& who) {
  auto a = Get(id, who);
  if (!a) return std::unexpected(a.error());
  if (a->state != "submitted") {
    return Failure(Code::kFailedPrecondition, "microcredit.not_submitted", {{"state", a->state}}, "id");
  }
  return store_.UpsertScore(id, {who.username, score, comment, who.now});
}

Result<Application> Lifecycle::Decide(std::int64_t id, bool approve, const std::string& minutes, const Actor& who) {
  auto a = Get(id, who);
  if (!a) return a;
  if (a->state != "submitted") {
    return Failure(Code::kFailedPrecondition, "microcredit.not_submitted", {{"state", a->state}}, "id");
  }
  if (a->created_by == who.username) return Failure(Code::kFailedPrecondition, "microcredit.four_eyes", {}, "id");
  auto scores = store_.Scores(id);
  if (!scores) return std::unexpected(scores.error());
  if (scores->empty()) return Failure(Code::kFailedPrecondition, "microcredit.no_scores", {}, "id");
  if (approve && a->training_required && !a->training_completed) {
    return Failure(Code::kFailedPrecondition, "microcredit.training_incomplete", {}, "id");
  }
  auto moved = store_.Decide(id, "submitted", approve ? "approved" : "rejected", minutes, who.username, who.now);
  if (!moved) return std::unexpected(moved.error());
  if (!*moved) return Failure(Code::kConflict, "microcredit.not_submitted", {{"state", "?"}}, "id");
  return Get(id, who);
}

Result<std::vector<std::int64_t>> Lifecycle::Disburse(std::int64_t id, const std::string& disbursed_on,
                                                      const Actor& who) {
  auto a = Get(id, who);
  if (!a) return std::unexpected(a.error());
  if (a->state != "approved") {
    return Failure(Code::kFailedPrecondition, "microcredit.not_approved", {{"id", std::to_string(id)}}, "id");
  }
  auto on = ParseDate(disbursed_on, "disbursed_on");
  if (!on) return std::unexpected(on.error());
  if (disbursed_on < a->applied_on) {
    return Failure(Code::kInvalidArgument, "microcredit.disbursed_before_application", {{"applied_on", a->applied_on}},
                   "disbursed_on");
  }
  auto to_rows = [](const Schedule& s) {
    std::vector<LoanInstalment> out;
    out.reserve(s.instalments.size());
    for (const auto& i : s.instalments) out.push_back({i.n, i.due_on.ToString(), i.principal_minor});
    return out;
  };
  std::vector<NewLoan> loans;
  if (a->product == "PNR") {
    auto plan = PlanPnr(a->amount_minor, *on, a->wilaya_code);
    if (!plan) return std::unexpected(plan.error());
    loans.push_back({"ANGEM", a->amount_minor, to_rows(plan->schedule)});
  } else {
    auto plan = PlanTriangular(a->amount_minor, *on);
    if (!plan) return std::unexpected(plan.error());
    loans.push_back({"bank", plan->bank_minor, to_rows(plan->bank)});
    loans.push_back({"ANGEM", plan->angem_minor, to_rows(plan->angem)});
  }
  auto applicant = store_.ApplicantOf(a->person_id, disbursed_on, Scope{std::nullopt, who.today});
  if (!applicant) return std::unexpected(applicant.error());
  std::optional<std::string> sex;
  if (*applicant && !(*applicant)->person.sex.empty()) sex = (*applicant)->person.sex;
  return store_.Disburse(*a, loans, disbursed_on, sex, who.now, who.username);
}

Result<LoanView> Lifecycle::LoanOn(std::int64_t loan_id, const std::string& as_of, const Actor& who) {
  auto date = ParseDate(as_of, "as_of");
  if (!date) return std::unexpected(date.error());
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) return std::unexpected(NotFound("microcredit.loan_not_found", loan_id));
  LoanView v;
  v.loan = std::move(**loan);
  v.as_of = as_of;
  // The one loan as columns: the same engine as the portfolio.
  PortfolioColumns p;
  std::vector<Day> due;
  std::vector<std::int64_t> principal;
  for (const auto& i : v.loan.instalments) {
    due.push_back(DayOfDate(*ParseDate(i.due_on)));
    principal.push_back(i.principal_minor);
  }
  const Day written_off =
      v.loan.written_off_on ? DayOfDate(*ParseDate(*v.loan.written_off_on)) : PortfolioColumns::kNever;
  p.AddLoan(0, v.loan.principal_minor, due, principal, written_off);
  for (const auto& r : v.loan.repayments) p.AddRepayment(0, DayOfDate(*ParseDate(r.paid_on)), r.amount_minor);
  const Day day = DayOfDate(*date);
  v.ageing = AgeLoans(p, day)[0];
  v.bucket = BucketOf(v.ageing.days_in_arrears);
  const auto rows = AgeInstalments(p, 0, day);
  for (std::size_t k = 0; k < rows.size(); ++k) v.instalments.push_back({v.loan.instalments[k], rows[k]});
  return v;
}

Status Lifecycle::CheckRepayment(const Loan& loan, const std::string& paid_on, std::int64_t amount_minor,
                                 const std::string& reference, const Actor& who, const std::string& field_prefix) {
  auto on = ParseDate(paid_on, field_prefix + "paid_on");
  if (!on) return std::unexpected(on.error());
  if (loan.state != "active") {
    return Failure(Code::kFailedPrecondition, "microcredit.loan_not_active",
                   {{"id", std::to_string(loan.id)}, {"state", loan.state}}, field_prefix + "loan_id");
  }
  if (paid_on < loan.disbursed_on || paid_on > who.today) {
    return Failure(Code::kInvalidArgument, "microcredit.paid_on_out_of_range",
                   {{"from", loan.disbursed_on}, {"to", who.today}}, field_prefix + "paid_on");
  }
  if (amount_minor <= 0) {
    return Failure(Code::kInvalidArgument, "microcredit.amount_invalid", {}, field_prefix + "amount");
  }
  if (reference.empty() || reference.size() > 64) {
    return Failure(Code::kInvalidArgument, "microcredit.reference_invalid", {}, field_prefix + "reference");
  }
  return Ok();
}

Status Lifecycle::Repay(std::int64_t loan_id, const std::string& paid_on, std::int64_t amount_minor,
                        const std::string& reference, const Actor& who) {
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) return std::unexpected(NotFound("microcredit.loan_not_found", loan_id));
  if (auto st = CheckRepayment(**loan, paid_on, amount_minor, reference, who, ""); !st) return st;
  return store_.AddRepayments({{0, loan_id, paid_on, amount_minor, reference, "entered", who.username, who.now}});
}

Result<std::vector<ImportLine>> Lifecycle::ImportRepayments(const std::string& csv_text, const Actor& who) {
  if (csv_text.empty()) return Failure(Code::kInvalidArgument, "microcredit.import_empty", {}, "body");
  auto reader = csv::Reader::FromStream(std::make_unique<std::istringstream>(csv_text), "statement");
  if (!reader) return std::unexpected(reader.error());
  const int c_loan = reader->Column("loan_id"), c_paid = reader->Column("paid_on"), c_amount = reader->Column("amount"),
            c_ref = reader->Column("reference");
  if (c_loan < 0 || c_paid < 0 || c_amount < 0 || c_ref < 0) {
    return Failure(Code::kInvalidArgument, "microcredit.import_header",
                   {{"columns", "loan_id,paid_on,amount,reference"}}, "header");
  }
  std::vector<ImportLine> lines;
  std::vector<Problem> problems;
  std::map<std::int64_t, std::optional<Loan>> loans;
  std::set<std::string> refs;
  std::vector<std::string> row;
  auto problem = [&](long line, const Error& e) {
    problems.push_back({e.reason, fmt::format("line {}, column {}", line, e.field), e.params, e.message});
  };
  while (true) {
    auto more = reader->Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    if (lines.size() + problems.size() >= 10'000) {
      return Failure(Code::kInvalidArgument, "microcredit.import_too_many_lines", {{"max", "10000"}}, "body");
    }
    const long line = reader->line();
    ImportLine l;
    l.line = line;
    const std::string& loan_text = row[static_cast<std::size_t>(c_loan)];
    l.paid_on = row[static_cast<std::size_t>(c_paid)];
    l.reference = row[static_cast<std::size_t>(c_ref)];
    const auto amount = ParseDinars(row[static_cast<std::size_t>(c_amount)]);
    if (loan_text.empty() || loan_text.size() > 18 || loan_text.find_first_not_of("0123456789") != std::string::npos) {
      problem(line,
              Failure(Code::kInvalidArgument, "microcredit.loan_not_found", {{"id", loan_text}}, "loan_id").error());
      continue;
    }
    l.loan_id = std::stoll(loan_text);
    if (!amount) {
      problem(line, Failure(Code::kInvalidArgument, "microcredit.amount_invalid", {}, "amount").error());
      continue;
    }
    l.amount_minor = *amount;
    if (!loans.contains(l.loan_id)) {
      auto loan = store_.GetLoan(l.loan_id, who.scope);
      if (!loan) return std::unexpected(loan.error());
      loans[l.loan_id] = std::move(*loan);
    }
    const auto& loan = loans[l.loan_id];
    if (!loan) {
      problem(line, NotFound("microcredit.loan_not_found", l.loan_id));
      problems.back().field = fmt::format("line {}, column loan_id", line);
      continue;
    }
    if (auto st = CheckRepayment(*loan, l.paid_on, l.amount_minor, l.reference, who, ""); !st) {
      problem(line, st.error());
      continue;
    }
    if (!refs.insert(l.reference).second) {
      problem(line,
              Failure(Code::kInvalidArgument, "microcredit.reference_repeated", {{"value", l.reference}}, "reference")
                  .error());
      continue;
    }
    lines.push_back(l);
  }
  if (!problems.empty()) return Failures(Code::kInvalidArgument, "microcredit.import_refused", std::move(problems));
  if (lines.empty()) return Failure(Code::kInvalidArgument, "microcredit.import_empty", {}, "body");
  std::vector<Repayment> rows;
  rows.reserve(lines.size());
  for (const auto& l : lines) {
    rows.push_back({0, l.loan_id, l.paid_on, l.amount_minor, l.reference, "import", who.username, who.now});
  }
  if (auto st = store_.AddRepayments(rows); !st) {
    Error e = st.error();
    if (e.code == Code::kAlreadyExists) {
      return Failure(Code::kConflict, "microcredit.reference_recorded", {}, "reference");
    }
    return std::unexpected(e);
  }
  return lines;
}

Result<bool> Lifecycle::WriteOff(std::int64_t loan_id, const std::string& on, const Actor& who) {
  auto date = ParseDate(on, "on");
  if (!date) return std::unexpected(date.error());
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) return std::unexpected(NotFound("microcredit.loan_not_found", loan_id));
  if ((*loan)->state != "active") {
    return Failure(Code::kFailedPrecondition, "microcredit.loan_not_active",
                   {{"id", std::to_string(loan_id)}, {"state", (*loan)->state}}, "id");
  }
  if (on < (*loan)->disbursed_on) {
    return Failure(Code::kInvalidArgument, "microcredit.paid_on_out_of_range",
                   {{"from", (*loan)->disbursed_on}, {"to", who.today}}, "on");
  }
  return store_.WriteOff(loan_id, on);
}

Result<Reschedule> Lifecycle::RequestReschedule(std::int64_t loan_id, std::int64_t instalments,
                                                const std::string& first_due_on, const std::string& reason,
                                                const Actor& who) {
  auto first = ParseDate(first_due_on, "first_due_on");
  if (!first) return std::unexpected(first.error());
  if (first_due_on < who.today) {
    return Failure(Code::kInvalidArgument, "microcredit.paid_on_out_of_range",
                   {{"from", who.today}, {"to", "9999-12-31"}}, "first_due_on");
  }
  if (reason.empty()) return Failure(Code::kInvalidArgument, "field.required", {{"field", "reason"}}, "reason");
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) return std::unexpected(NotFound("microcredit.loan_not_found", loan_id));
  if ((*loan)->state != "active") {
    return Failure(Code::kFailedPrecondition, "microcredit.loan_not_active",
                   {{"id", std::to_string(loan_id)}, {"state", (*loan)->state}}, "id");
  }
  return store_.InsertReschedule(
      {0, loan_id, instalments, first_due_on, reason, "pending", who.username, who.now, std::nullopt, std::nullopt});
}

Result<bool> Lifecycle::DecideReschedule(std::int64_t loan_id, bool approve, const Actor& who) {
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) return std::unexpected(NotFound("microcredit.loan_not_found", loan_id));
  auto pending = store_.PendingReschedule(loan_id);
  if (!pending) return std::unexpected(pending.error());
  if (!*pending) return Failure(Code::kFailedPrecondition, "microcredit.no_reschedule", {}, "id");
  if ((*pending)->requested_by == who.username) {
    return Failure(Code::kFailedPrecondition, "microcredit.four_eyes", {}, "id");
  }
  std::vector<LoanInstalment> schedule;
  if (approve) {
    // The paid part of the old schedule stays (oldest first, as repayments are allocated); what remains
    // unpaid is spread again with the products' rounding rule (EqualInstalments), centimes on the last.
    std::int64_t repaid = 0;
    for (const auto& r : (*loan)->repayments) repaid += r.amount_minor;
    std::int64_t left = repaid;
    for (const auto& i : (*loan)->instalments) {
      if (left <= 0) break;
      const std::int64_t paid = std::min(left, i.principal_minor);
      schedule.push_back({static_cast<std::int64_t>(schedule.size()) + 1, i.due_on, paid});
      left -= paid;
    }
    const std::int64_t outstanding = (*loan)->principal_minor - repaid;
    if (outstanding <= 0) {
      return Failure(Code::kFailedPrecondition, "microcredit.loan_not_active",
                     {{"id", std::to_string(loan_id)}, {"state", "closed"}}, "id");
    }
    const std::int64_t whole = outstanding / kMinorPerDinar * kMinorPerDinar;
    const Date first = *ParseDate((*pending)->first_due_on);
    std::vector<std::int64_t> amounts{outstanding};  // less than a dinar left: one instalment
    if (whole > 0) {
      auto plan = EqualInstalments(whole, static_cast<int>((*pending)->instalments), 0, first);
      if (!plan) return std::unexpected(plan.error());
      amounts.clear();
      for (const auto& i : plan->instalments) amounts.push_back(i.principal_minor);
      amounts.back() += outstanding - whole;
    }
    for (std::size_t k = 0; k < amounts.size(); ++k) {
      schedule.push_back({static_cast<std::int64_t>(schedule.size()) + 1,
                          AddMonths(first, static_cast<int>(k)).ToString(), amounts[k]});
    }
  }
  return store_.DecideReschedule((*pending)->id, loan_id, approve, who.username, who.now, schedule);
}

Result<PortfolioReport> Lifecycle::Portfolio(const std::string& as_of, GroupBy by, const Actor& who) {
  auto date = ParseDate(as_of, "as_of");
  if (!date) return std::unexpected(date.error());
  auto data = store_.Portfolio(who.scope, as_of, by);
  if (!data) return std::unexpected(data.error());
  const auto ageing = AgeLoans(data->columns, DayOfDate(*date));
  const auto figures = Quality(data->columns, ageing, data->group_names.size());
  PortfolioReport out;
  out.as_of = as_of;
  // The whole portfolio: the sum of its groups (each loan is in exactly one).
  for (std::size_t g = 0; g < figures.size(); ++g) {
    out.total += figures[g];
    out.groups.push_back({data->group_names[g], figures[g]});
  }
  std::sort(out.groups.begin(), out.groups.end(), [](const auto& a, const auto& b) { return a.group < b.group; });
  return out;
}

}  // namespace sanad::microcredit

#include "empowerment/call.h"

#include <algorithm>

#include "core/time.h"
#include "empowerment/training.h"

namespace sanad::empowerment {
namespace {

void Add(std::vector<Problem>& problems, std::string_view reason, std::string field, MessageParams params) {
  problems.push_back({std::string(reason), std::move(field), std::move(params), ""});
}

template <std::size_t N>
std::string Joined(const std::string_view (&values)[N]) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

template <std::size_t N>
bool Known(const std::string_view (&values)[N], const std::string& v) {
  return std::find(std::begin(values), std::end(values), v) != std::end(values);
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\n") == std::string::npos; }

std::string TopicsJoined() {
  std::string out;
  for (const char* t : kTrainingTopics) out += (out.empty() ? "" : ", ") + std::string(t);
  return out;
}

}  // namespace

bool IsTrainingTopic(const std::string& topic) {
  return std::any_of(std::begin(kTrainingTopics), std::end(kTrainingTopics), [&](const char* t) { return topic == t; });
}

std::optional<std::string> CurrencyOfRegion(const std::string& region_code) {
  if (region_code.starts_with("MA-")) return "MAD";
  if (region_code.starts_with("DZ-")) return "DZD";
  return std::nullopt;
}

Status CheckCall(const Call& c) {
  std::vector<Problem> problems;
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"code", &c.code},
                                     {"name_ar", &c.name_ar},
                                     {"name_fr", &c.name_fr},
                                     {"name_en", &c.name_en}}) {
    if (Blank(*value)) Add(problems, MsgCode("field.required"), field, {{"field", field}});
  }
  if (c.year < 2000 || c.year > 2100) {
    Add(problems, MsgCode("field.out_of_range"), "year", {{"field", "year"}, {"min", "2000"}, {"max", "2100"}});
  }
  if (c.envelope_minor <= 0) {
    Add(problems, MsgCode("field.out_of_range"), "envelope_minor",
        {{"field", "envelope_minor"}, {"min", "1"}, {"max", "∞"}});
  }
  if (!CurrencyOfRegion(c.region_code)) {
    Add(problems, MsgCode("value.not_area"), "region_code", {{"field", "region_code"}, {"value", c.region_code}});
  }
  const auto opens = ParseDate(c.opens_at, "opens_at");
  const auto closes = ParseDate(c.closes_at, "closes_at");
  if (!opens) Add(problems, MsgCode("value.not_date"), "opens_at", {{"field", "opens_at"}, {"value", c.opens_at}});
  if (!closes) Add(problems, MsgCode("value.not_date"), "closes_at", {{"field", "closes_at"}, {"value", c.closes_at}});
  if (opens && closes && *closes < *opens) {
    Add(problems, MsgCode("empowerment.call_dates"), "closes_at", {{"opens", c.opens_at}, {"closes", c.closes_at}});
  }
  const auto& e = c.eligibility;
  for (std::size_t i = 0; i < e.kinds.size(); ++i) {
    if (!Known(kKinds, e.kinds[i])) {
      Add(problems, MsgCode("value.not_allowed"), "eligibility.kinds[" + std::to_string(i) + "]",
          {{"field", "kind"}, {"allowed", Joined(kKinds)}, {"value", e.kinds[i]}});
    }
  }
  for (std::size_t i = 0; i < e.situations.size(); ++i) {
    if (!Known(kSituations, e.situations[i])) {
      Add(problems, MsgCode("value.not_allowed"), "eligibility.situations[" + std::to_string(i) + "]",
          {{"field", "situations"}, {"allowed", Joined(kSituations)}, {"value", e.situations[i]}});
    }
  }
  if (e.requires_training && !IsTrainingTopic(*e.requires_training)) {
    Add(problems, MsgCode("value.not_allowed"), "eligibility.requires_training",
        {{"field", "requires_training"}, {"allowed", TopicsJoined()}, {"value", *e.requires_training}});
  }
  // Registrations are only taken from kMinAge to kMaxAge: a narrower band, never a wider one.
  if (e.min_age < kMinAge || e.max_age > kMaxAge || e.min_age > e.max_age) {
    Add(problems, MsgCode("field.out_of_range"), "eligibility.min_age",
        {{"field", "age"}, {"min", std::to_string(kMinAge)}, {"max", std::to_string(kMaxAge)}});
  }
  if (auto st = CheckRubric(c.rubric); !st) {
    for (auto p : st.error().problems) problems.push_back(std::move(p));
  }
  if (!problems.empty()) return Failures(Code::kFailedPrecondition, "empowerment.call_invalid", std::move(problems));
  return Ok();
}

bool IsOpen(const Call& call, const std::string& day) { return call.opens_at <= day && day <= call.closes_at; }

std::vector<Problem> EligibilityProblems(const Call& call, const Registration& r, bool file_complete,
                                         bool commune_in_region, const std::string& day, bool training_completed) {
  std::vector<Problem> problems;
  const auto& e = call.eligibility;
  if (!file_complete) Add(problems, MsgCode("empowerment.file_incomplete"), "registration", {});
  if (!commune_in_region) {
    Add(problems, MsgCode("empowerment.outside_region"), "commune_code",
        {{"commune", r.commune_code}, {"region", call.region_code}});
  }
  if (!e.kinds.empty() && std::find(e.kinds.begin(), e.kinds.end(), r.kind) == e.kinds.end()) {
    Add(problems, MsgCode("empowerment.kind_not_eligible"), "kind", {{"value", r.kind}});
  }
  if (!e.situations.empty() && std::none_of(e.situations.begin(), e.situations.end(), [&](const std::string& s) {
        return std::find(r.situations.begin(), r.situations.end(), s) != r.situations.end();
      })) {
    std::string wanted;
    for (const auto& s : e.situations) wanted += (wanted.empty() ? "" : ", ") + s;
    Add(problems, MsgCode("empowerment.situation_not_eligible"), "situations", {{"allowed", wanted}});
  }
  if (e.requires_training && !training_completed) {
    Add(problems, MsgCode("empowerment.training_required"), "eligibility.requires_training",
        {{"topic", *e.requires_training}});
  }
  const auto birth = ParseDate(r.birth_date), today = ParseDate(day);
  if (birth && today) {
    const int age = CompletedYears(*birth, *today);
    if (age < e.min_age || age > e.max_age) {
      Add(problems, MsgCode("empowerment.age_not_eligible"), "birth_date",
          {{"age", std::to_string(age)}, {"min", std::to_string(e.min_age)}, {"max", std::to_string(e.max_age)}});
    }
  }
  return problems;
}

Status CheckTranches(const std::vector<TranchePlan>& tranches, long long approved_minor) {
  std::vector<Problem> problems;
  if (tranches.empty() || tranches.size() > 12) {
    Add(problems, MsgCode("field.out_of_range"), "tranches", {{"field", "tranches"}, {"min", "1"}, {"max", "12"}});
  }
  long long sum = 0;
  for (std::size_t i = 0; i < tranches.size(); ++i) {
    const std::string where = "tranches[" + std::to_string(i) + "]";
    if (Blank(tranches[i].milestone))
      Add(problems, MsgCode("field.required"), where + ".milestone", {{"field", "milestone"}});
    if (tranches[i].requires_training && !IsTrainingTopic(*tranches[i].requires_training)) {
      Add(problems, MsgCode("value.not_allowed"), where + ".requires_training",
          {{"field", "requires_training"}, {"allowed", TopicsJoined()}, {"value", *tranches[i].requires_training}});
    }
    if (tranches[i].planned_minor <= 0) {
      Add(problems, MsgCode("field.out_of_range"), where + ".amount_minor",
          {{"field", "amount_minor"}, {"min", "1"}, {"max", std::to_string(approved_minor)}});
    } else {
      sum += tranches[i].planned_minor;
    }
  }
  if (problems.empty() && sum != approved_minor) {
    Add(problems, MsgCode("empowerment.tranches_sum"), "tranches",
        {{"sum", std::to_string(sum)}, {"approved", std::to_string(approved_minor)}});
  }
  if (!problems.empty())
    return Failures(Code::kFailedPrecondition, "empowerment.tranches_invalid", std::move(problems));
  return Ok();
}

}  // namespace sanad::empowerment

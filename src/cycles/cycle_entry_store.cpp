#include "cycles/cycle_entry_store.h"

#include <charconv>
#include <optional>

#include "core/json_escape.h"
#include "db/bulk_load.h"

namespace sanad::cycles {
namespace {

void Str(std::string& out, std::string_view s) {
  out += '"';
  AppendJsonEscaped(out, s, /*replace_invalid=*/true);
  out += '"';
}

void Key(std::string& out, std::string_view key) {
  Str(out, key);
  out += ':';
}

void Int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void Double(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

bool Present(const rules::InputColumn& c, std::size_t i) { return c.present.empty() || c.present[i] != 0; }

// {"label":minor,…} of the non-zero amounts of household h.
void Amounts(std::string& out, const std::vector<std::string>& labels,
             const std::vector<std::vector<std::int64_t>>& amounts, std::size_t h) {
  out += '{';
  bool first = true;
  for (std::size_t l = 0; l < labels.size(); ++l) {
    if (amounts[l][h] == 0) continue;
    if (!first) out += ',';
    first = false;
    Key(out, labels[l]);
    Int(out, amounts[l][h] * CycleEntryWriter::kMinorPerUnit);
  }
  out += '}';
}

// A member's string field, left out when null.
void MemberString(std::string& out, const rules::Batch& b, const char* name, std::size_t i) {
  const auto& c = b.member.find(name)->second;
  if (!Present(c, i)) return;
  out += ',';
  Key(out, name);
  Str(out, c.strings[i]);
}

void HouseholdBool(std::string& out, const rules::Batch& b, const char* name, std::size_t h) {
  const auto& c = b.household.find(name)->second;
  if (!Present(c, h)) return;
  out += ',';
  Key(out, name);
  out += c.ints[h] != 0 ? "true" : "false";
}

}  // namespace

std::string EntryDetails(const RegistryChunk& chunk, const programs::BatchOutcome& outcome, std::size_t h) {
  std::string out;
  out.reserve(512);
  out += "{\"lines\":";
  Amounts(out, outcome.line_labels, outcome.line_amounts, h);
  out += ",\"one_offs\":";
  Amounts(out, outcome.one_off_labels, outcome.one_off_amounts, h);
  out += ",\"reasons\":[";
  for (std::uint32_t r = outcome.reason_offsets[h]; r < outcome.reason_offsets[h + 1]; ++r) {
    const auto& reason = outcome.reasons[r];
    if (r != outcome.reason_offsets[h]) out += ',';
    out += "{\"code\":";
    Str(out, reason.code);
    out += ",\"params\":{";
    for (std::size_t p = 0; p < reason.params.size(); ++p) {
      if (p != 0) out += ',';
      Key(out, reason.params[p].first);
      Str(out, reason.params[p].second);
    }
    out += "}}";
  }
  const rules::Batch& b = chunk.batch;
  out += "],\"inputs\":{\"household_version\":";
  Int(out, chunk.household_version[h]);
  const auto& index = b.household.find("socio_economic_index")->second;
  if (Present(index, h)) {
    out += ",\"score\":";
    Double(out, index.decimals[h]);
    out += ",\"score_model\":";
    Str(out, chunk.score_model[h]);
    out += ",\"score_model_version\":";
    Str(out, chunk.score_model_version[h]);
  }
  HouseholdBool(out, b, "receives_family_allowance", h);
  HouseholdBool(out, b, "has_proven_income", h);
  out += ",\"members\":[";
  const auto& disability = b.member.find("disability_percent")->second;
  for (std::uint32_t i = b.member_offsets[h]; i < b.member_offsets[h + 1]; ++i) {
    if (i != b.member_offsets[h]) out += ',';
    out += "{\"person_id\":";
    Int(out, chunk.person_id[i]);
    out += ",\"version\":";
    Int(out, chunk.person_version[i]);
    MemberString(out, b, "relationship", i);
    MemberString(out, b, "sex", i);
    if (!chunk.birth_date_text[i].empty()) {
      out += ",\"birth_date\":";
      Str(out, chunk.birth_date_text[i]);
    }
    MemberString(out, b, "marital_status", i);
    MemberString(out, b, "schooling", i);
    if (Present(disability, i)) {
      out += ",\"disability_percent\":";
      Int(out, disability.ints[i]);
    }
    out += '}';
  }
  out += "]}}";
  return out;
}

void CycleEntryWriter::Write(db::Session& s, std::int64_t cycle_id, const RegistryChunk& chunk,
                             const programs::BatchOutcome& outcome) {
  const std::size_t n = chunk.size();
  if (n == 0) return;
  db::ColumnValues values(9);
  for (auto& column : values) column.reserve(n);
  const std::string cycle = std::to_string(cycle_id);
  for (std::size_t h = 0; h < n; ++h) {
    values[0].emplace_back(cycle);
    values[1].emplace_back(std::to_string(chunk.household_id[h]));
    values[2].emplace_back(std::to_string(chunk.household_version[h]));
    values[3].emplace_back(chunk.commune_code[h]);
    values[4].emplace_back(chunk.payee_person_id[h] != 0 ? std::optional(std::to_string(chunk.payee_person_id[h]))
                                                         : std::nullopt);
    values[5].emplace_back(outcome.eligible[h] != 0 ? "1" : "0");
    values[6].emplace_back(std::to_string(outcome.monthly_amount[h] * kMinorPerUnit));
    values[7].emplace_back(std::to_string(outcome.one_off_total[h] * kMinorPerUnit));
    values[8].emplace_back(EntryDetails(chunk, outcome, h));
  }
  db::BulkInsert(s, "cycle_entries",
                 {"cycle_id", "household_id", "household_version", "commune_code", "payee_person_id", "eligible",
                  "amount_minor", "one_off_minor", "details"},
                 values, n);
}

}  // namespace sanad::cycles

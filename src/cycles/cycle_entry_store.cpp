#include "cycles/cycle_entry_store.h"

#include <charconv>

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

// A key this file names: plain ASCII, nothing to escape.
void FixedKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void Int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// The comma before an object's next member: none right after its opening brace.
void Separate(std::string& out) {
  if (out.back() != '{') out += ',';
}

bool Present(const rules::InputColumn& c, std::size_t i) { return c.present.empty() || c.present[i] != 0; }

// "key":{"label":minor,…} of the non-zero amounts of household h (after a comma unless first); nothing
// when all are zero.
void Amounts(std::string& out, std::string_view key, const std::vector<std::string>& labels,
             const std::vector<std::vector<std::int64_t>>& amounts, std::size_t h) {
  bool first = true;
  for (std::size_t l = 0; l < labels.size(); ++l) {
    if (amounts[l][h] == 0) continue;
    if (first) {
      Separate(out);
      FixedKey(out, key);
      out += '{';
    } else {
      out += ',';
    }
    first = false;
    Key(out, labels[l]);
    Int(out, amounts[l][h] * CycleEntryWriter::kMinorPerUnit);
  }
  if (!first) out += '}';
}

void Null(std::string& out) { out += "null"; }

// Whether household h was not eligible because a condition or a line could not be computed from its
// data, or an amount went past the bound (programs/evaluate_batch.h), rather than because a condition
// said no.
bool Undecided(const programs::BatchOutcome& outcome, std::size_t h) {
  for (std::uint32_t r = outcome.reason_offsets[h]; r < outcome.reason_offsets[h + 1]; ++r) {
    const std::string& code = outcome.reasons[r].code;
    if (code == "program.reason.not_computable" || code == "program.reason.amount_not_computable" ||
        code == "program.reason.amount_out_of_range") {
      return true;
    }
  }
  return false;
}

// The columns the details read, looked up once per chunk rather than per household.
struct Columns {
  explicit Columns(const rules::Batch& b)
      : index(b.household.at("socio_economic_index")),
        allowance(b.household.at("receives_family_allowance")),
        income(b.household.at("has_proven_income")),
        relationship(b.member.at("relationship")),
        sex(b.member.at("sex")),
        marital(b.member.at("marital_status")),
        schooling(b.member.at("schooling")),
        disability(b.member.at("disability_percent")),
        able(b.member.at("able_to_work")),
        institution(b.member.at("in_institution")) {}
  const rules::InputColumn &index, &allowance, &income, &relationship, &sex, &marital, &schooling, &disability, &able,
      &institution;
};

void StringOrNull(std::string& out, const rules::InputColumn& c, std::size_t i) {
  if (Present(c, i)) {
    Str(out, c.strings[i]);
  } else {
    Null(out);
  }
}

void Details(std::string& out, const RegistryChunk& chunk, const Columns& col, const programs::BatchOutcome& outcome,
             const ScoreModel& cycle_model, std::size_t h) {
  out += '{';
  Amounts(out, "lines", outcome.line_labels, outcome.line_amounts, h);
  Amounts(out, "one_offs", outcome.one_off_labels, outcome.one_off_amounts, h);
  if (outcome.reason_offsets[h + 1] > outcome.reason_offsets[h]) {
    Separate(out);
    out += "\"reasons\":[";
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
    out += ']';
  }
  Separate(out);
  out += "\"inputs\":{";
  if (Present(col.index, h)) {
    Separate(out);
    FixedKey(out, "score");
    AppendJsonNumber(out, col.index.decimals[h]);
    if (chunk.score_model[h] != cycle_model.name || chunk.score_model_version[h] != cycle_model.version) {
      out += ",\"score_model\":";
      Str(out, chunk.score_model[h]);
      out += ",\"score_model_version\":";
      Str(out, chunk.score_model_version[h]);
    }
  }
  for (auto [name, c] :
       {std::pair{"receives_family_allowance", &col.allowance}, std::pair{"has_proven_income", &col.income}}) {
    if (!Present(*c, h)) continue;
    Separate(out);
    FixedKey(out, name);
    out += c->ints[h] != 0 ? "true" : "false";
  }
  // The members' snapshot is what approval freezes for the beneficiaries: a household that is not
  // eligible keeps why (its reasons with the values they cite, and the household inputs above), not its
  // members (docs/cycles.md "Entries and their snapshot"), unless a reason says its data did not allow a
  // decision: then the members are where the missing value is. 91 % of an ASD cycle's entries are not
  // eligible; without their members such an entry is about half the bytes (590 → 310 on the synthetic
  // registry).
  if (outcome.eligible[h] == 0 && !Undecided(outcome, h)) {
    out += "}}";
    return;
  }
  Separate(out);
  // Each member as an array in the order of kMemberFields (null where the registry has no value).
  out += "\"members\":[";
  const rules::Batch& b = chunk.batch;
  for (std::uint32_t i = b.member_offsets[h]; i < b.member_offsets[h + 1]; ++i) {
    if (i != b.member_offsets[h]) out += ',';
    out += '[';
    Int(out, chunk.person_id[i]);
    out += ',';
    Int(out, chunk.person_version[i]);
    out += ',';
    StringOrNull(out, col.relationship, i);
    out += ',';
    StringOrNull(out, col.sex, i);
    out += ',';
    if (chunk.birth_date_text[i].empty()) {
      Null(out);
    } else {
      Str(out, chunk.birth_date_text[i]);
    }
    out += ',';
    StringOrNull(out, col.marital, i);
    out += ',';
    StringOrNull(out, col.schooling, i);
    out += ',';
    if (Present(col.disability, i)) {
      Int(out, col.disability.ints[i]);
    } else {
      Null(out);
    }
    if (Present(col.able, i) || Present(col.institution, i)) {
      for (const auto* c : {&col.able, &col.institution}) {
        out += ',';
        if (Present(*c, i)) {
          out += c->ints[i] != 0 ? "true" : "false";
        } else {
          Null(out);
        }
      }
    }
    out += ']';
  }
  out += "]}}";
}

}  // namespace

std::string EntryDetails(const RegistryChunk& chunk, const programs::BatchOutcome& outcome,
                         const ScoreModel& cycle_model, std::size_t h) {
  std::string out;
  Details(out, chunk, Columns(chunk.batch), outcome, cycle_model, h);
  return out;
}

void CycleEntryWriter::Write(db::Session& s, std::int64_t cycle_id, const RegistryChunk& chunk,
                             const programs::BatchOutcome& outcome) {
  const std::size_t n = chunk.size();
  if (n == 0) return;
  // Row by row with typed values: no per-cell strings, one details buffer reused (profiled: building
  // the cells as text took about a third of the write).
  db::RowWriter rows(s, "cycle_entries",
                     {"cycle_id", "household_id", "household_version", "commune_code", "payee_person_id", "eligible",
                      "amount_minor", "one_off_minor", "details"});
  const Columns columns(chunk.batch);
  std::string details;
  details.reserve(1024);
  for (std::size_t h = 0; h < n; ++h) {
    rows.Int(cycle_id);
    rows.Int(chunk.household_id[h]);
    rows.Int(chunk.household_version[h]);
    rows.Text(chunk.commune_code[h]);
    if (chunk.payee_person_id[h] != 0) {
      rows.Int(chunk.payee_person_id[h]);
    } else {
      rows.Null();
    }
    rows.Int(outcome.eligible[h] != 0 ? 1 : 0);
    rows.Int(outcome.monthly_amount[h] * kMinorPerUnit);
    rows.Int(outcome.one_off_total[h] * kMinorPerUnit);
    if (!model_.known && Present(columns.index, h)) {
      model_ = {std::string(chunk.score_model[h]), std::string(chunk.score_model_version[h]), true};
    }
    details.clear();
    Details(details, chunk, columns, outcome, model_, h);
    rows.Text(details);
    rows.EndRow();
  }
  rows.Finish();
}

}  // namespace sanad::cycles

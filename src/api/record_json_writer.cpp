#include "api/record_json_writer.h"

#include <algorithm>
#include <charconv>

#include "core/json_escape.h"
#include "registry/values.h"

namespace sanad::api {

namespace {

// The members of a record other than its fields.
enum class Own : std::uint8_t { kField, kId, kHouseholdId, kVersion, kMergedInto, kCreatedAt, kUpdatedAt, kMembers };

struct Member {
  std::string key;
  Own own = Own::kField;
  std::size_t field = 0;
};

// The record's members in the order a std::map keeps them. A key given twice keeps its last
// assignment, as in PersonJson / HouseholdJson (the own members are assigned after the fields).
std::vector<Member> MemberOrder(std::span<const registry::FieldSpec> fields,
                                std::initializer_list<std::pair<const char*, Own>> own) {
  std::vector<Member> members;
  for (std::size_t i = 0; i < fields.size(); ++i) members.push_back({std::string(fields[i].name), Own::kField, i});
  for (const auto& [key, which] : own) members.push_back({key, which, 0});
  std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  std::vector<Member> out;
  for (auto& m : members) {
    if (!out.empty() && out.back().key == m.key) {
      out.back() = std::move(m);
    } else {
      out.push_back(std::move(m));
    }
  }
  return out;
}

const std::vector<Member>& PersonOrder() {
  static const std::vector<Member> order = MemberOrder(registry::PersonFields(), {{"id", Own::kId},
                                                                                  {"household_id", Own::kHouseholdId},
                                                                                  {"version", Own::kVersion},
                                                                                  {"merged_into", Own::kMergedInto}});
  return order;
}

const std::vector<Member>& HouseholdOrder() {
  static const std::vector<Member> order = MemberOrder(registry::HouseholdFields(), {{"id", Own::kId},
                                                                                     {"version", Own::kVersion},
                                                                                     {"created_at", Own::kCreatedAt},
                                                                                     {"updated_at", Own::kUpdatedAt},
                                                                                     {"members", Own::kMembers}});
  return order;
}

}  // namespace

RecordJsonWriter::RecordJsonWriter(std::string& out, nlohmann::json::error_handler_t errors)
    : out_(out), serializer_(nlohmann::detail::output_adapter<char, std::string>(out), ' ', errors) {}

void RecordJsonWriter::String(std::string_view s) {
  const std::size_t start = out_.size();
  out_ += '"';
  if (!AppendJsonEscaped(out_, s, false)) {
    // Ill-formed: the serializer throws or replaces, exactly as the tree's dump did.
    out_.resize(start);
    serializer_.dump(nlohmann::json(s), false, false, 0);
    return;
  }
  out_ += '"';
}

void RecordJsonWriter::Key(bool& first, std::string_view k) {
  if (!first) out_ += ',';
  first = false;
  String(k);
  out_ += ':';
}

void RecordJsonWriter::Integer(long long v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
}

void RecordJsonWriter::Json(const nlohmann::json& scalar) { serializer_.dump(scalar, false, false, 0); }

void RecordJsonWriter::Value(const registry::FieldSpec& spec, const std::optional<std::string>& v) {
  if (!v) {
    out_ += "null";
    return;
  }
  switch (spec.type) {
    case registry::FieldType::kInt:
    case registry::FieldType::kDecimal:
    case registry::FieldType::kBool:
      Json(registry::ValueJson(spec, v));  // a number or a boolean: no allocation
      return;
    default:
      String(*v);
  }
}

void RecordJsonWriter::Person(const registry::PersonRecord& p, std::span<const ExtraMember> extra) {
  PersonMembers(p, extra, nullptr);
}

PersonFragment RecordJsonWriter::Fragment(const registry::PersonRecord& p, std::span<const std::string_view> keys) {
  PersonFragment f;
  f.version = p.version;
  std::vector<ExtraMember> open;
  open.reserve(keys.size());
  for (auto k : keys) open.push_back({k, 0.0});
  RecordJsonWriter w(f.json, nlohmann::json::error_handler_t::replace);
  w.PersonMembers(p, open, &f.at);
  return f;
}

void RecordJsonWriter::Person(const PersonFragment& f, std::span<const std::string_view> keys,
                              std::span<const ExtraMember> extra) {
  std::size_t from = 0, x = 0;
  for (std::size_t i = 0; i < keys.size() && i < f.at.size(); ++i) {
    if (x >= extra.size() || extra[x].key != keys[i]) continue;
    out_.append(f.json, from, f.at[i] - from);
    from = f.at[i];
    // A member goes after a comma unless it is the object's first (right after its '{').
    const bool first = from == 1;
    if (!first) out_ += ',';
    String(extra[x].key);
    out_ += ':';
    ExtraValue(extra[x++]);
    if (first) out_ += ',';
  }
  out_.append(f.json, from, std::string::npos);
}

void RecordJsonWriter::ExtraValue(const ExtraMember& e) {
  if (const double* d = std::get_if<double>(&e.value)) {
    Json(nlohmann::json(*d));
  } else {
    String(std::get<std::string_view>(e.value));
  }
}

void RecordJsonWriter::PersonMembers(const registry::PersonRecord& p, std::span<const ExtraMember> extra,
                                     std::vector<std::uint32_t>* at) {
  const auto fields = registry::PersonFields();
  out_ += '{';
  bool first = true;
  auto key = [&](std::string_view k) { Key(first, k); };
  auto write_extra = [&](const ExtraMember& e) {
    if (at) {
      at->push_back(static_cast<std::uint32_t>(out_.size()));  // left open: the member is written later
      return;
    }
    key(e.key);
    ExtraValue(e);
  };
  std::size_t x = 0;
  for (const Member& m : PersonOrder()) {
    if (m.own == Own::kField && m.field >= p.values.size()) continue;  // as ValuesJson
    while (x < extra.size() && extra[x].key < m.key) write_extra(extra[x++]);
    if (x < extra.size() && extra[x].key == m.key) {
      write_extra(extra[x++]);  // assigned after the person's own members: it replaces them
      continue;
    }
    key(m.key);
    switch (m.own) {
      case Own::kField:
        Value(fields[m.field], p.values[m.field]);
        break;
      case Own::kId:
        Integer(p.id);
        break;
      case Own::kHouseholdId:
        Integer(p.household_id);
        break;
      case Own::kVersion:
        Integer(p.version);
        break;
      case Own::kMergedInto:
        if (p.merged_into) {
          Integer(*p.merged_into);
        } else {
          out_ += "null";
        }
        break;
      default:
        out_ += "null";  // not a person's member
    }
  }
  while (x < extra.size()) write_extra(extra[x++]);
  out_ += '}';
}

void RecordJsonWriter::Household(const registry::HouseholdRecord& h, const std::string* as_of) {
  const auto fields = registry::HouseholdFields();
  out_ += '{';
  bool first = true;
  auto key = [&](std::string_view k) { Key(first, k); };
  bool as_of_written = as_of == nullptr;
  for (const Member& m : HouseholdOrder()) {
    if (m.own == Own::kField && m.field >= h.values.size()) continue;
    if (!as_of_written && std::string_view("as_of") <= m.key) {
      key("as_of");
      String(*as_of);
      as_of_written = true;
      if (m.key == "as_of") continue;
    }
    key(m.key);
    switch (m.own) {
      case Own::kField:
        Value(fields[m.field], h.values[m.field]);
        break;
      case Own::kId:
        Integer(h.id);
        break;
      case Own::kVersion:
        Integer(h.version);
        break;
      case Own::kCreatedAt:
        String(h.created_at);
        break;
      case Own::kUpdatedAt:
        String(h.updated_at);
        break;
      case Own::kMembers:
        out_ += '[';
        for (std::size_t i = 0; i < h.members.size(); ++i) {
          if (i) out_ += ',';
          Person(h.members[i]);
        }
        out_ += ']';
        break;
      default:
        out_ += "null";  // not a household's member
    }
  }
  if (!as_of_written) {
    key("as_of");
    String(*as_of);
  }
  out_ += '}';
}

}  // namespace sanad::api

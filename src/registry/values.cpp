#include "registry/values.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/csv.h"
#include "core/time.h"
#include "core/utf8.h"

namespace sanad::registry {

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An error naming the field, with its catalogue code and parameters (the field and `params`) and the
// English text for logs and the CLI.
Error Bad(const FieldSpec& spec, std::string_view reason, MessageParams params, std::string message) {
  Error e{Code::kInvalidArgument, std::move(message), std::string(spec.name), 0, std::string(reason)};
  e.params.emplace_back("field", std::string(spec.name));
  for (auto& p : params) e.params.push_back(std::move(p));
  return e;
}

}  // namespace

std::string NationalIdQuery(std::string_view raw) {
  std::string v(raw);
  for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::erase(v, ' ');
  return v;
}

std::optional<CountryCode> CountryOfArea(std::string_view code) {
  if (code.starts_with("MA-")) return CountryCode::kMorocco;
  if (code.starts_with("DZ-")) return CountryCode::kAlgeria;
  return std::nullopt;
}

Result<std::optional<std::string>> NormalizeValue(const FieldSpec& spec, std::string_view raw_in, CountryCode country) {
  std::string_view raw = csv::TrimCell(raw_in);
  if (raw.empty()) return std::optional<std::string>();
  if (!IsValidUtf8(raw))
    return std::unexpected(
        Bad(spec, MsgCode("value.not_utf8"), {}, fmt::format("'{}' is not valid UTF-8 text", spec.name)));
  auto ok = [](std::string v) { return std::optional<std::string>(std::move(v)); };
  switch (spec.type) {
    case FieldType::kText:
      if (raw.size() > spec.max_len) {
        return std::unexpected(Bad(spec, MsgCode("value.too_long"), {{"max", std::to_string(spec.max_len)}},
                                   fmt::format("'{}' is longer than {} bytes", spec.name, spec.max_len)));
      }
      return ok(std::string(raw));
    case FieldType::kInt: {
      long long v = 0;
      auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
      if (ec != std::errc() || p != raw.data() + raw.size()) {
        return std::unexpected(Bad(spec, MsgCode("value.not_integer"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' must be a whole number, got '{}'", spec.name, raw)));
      }
      if (v < spec.min || v > spec.max) {
        return std::unexpected(Bad(
            spec, MsgCode("value.out_of_range"),
            {{"value", std::to_string(v)}, {"min", fmt::format("{}", spec.min)}, {"max", fmt::format("{}", spec.max)}},
            fmt::format("'{}' must be between {} and {}, got {}", spec.name, spec.min, spec.max, v)));
      }
      return ok(std::to_string(v));
    }
    case FieldType::kDecimal: {
      double v = 0;
      auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
      if (ec != std::errc() || p != raw.data() + raw.size() || !std::isfinite(v)) {
        return std::unexpected(Bad(spec, MsgCode("value.not_number"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' must be a number, got '{}'", spec.name, raw)));
      }
      if (v < spec.min || v > spec.max) {
        return std::unexpected(Bad(
            spec, MsgCode("value.out_of_range"),
            {{"value", std::string(raw)}, {"min", fmt::format("{}", spec.min)}, {"max", fmt::format("{}", spec.max)}},
            fmt::format("'{}' must be between {} and {}, got {}", spec.name, spec.min, spec.max, raw)));
      }
      return ok(fmt::format("{}", v));
    }
    case FieldType::kBool: {
      static constexpr std::string_view yes[] = {"1", "true", "yes", "oui", "نعم", "TRUE", "True", "Yes", "Oui"};
      static constexpr std::string_view no[] = {"0", "false", "no", "non", "لا", "FALSE", "False", "No", "Non"};
      if (std::find(std::begin(yes), std::end(yes), raw) != std::end(yes)) return ok("1");
      if (std::find(std::begin(no), std::end(no), raw) != std::end(no)) return ok("0");
      return std::unexpected(Bad(spec, MsgCode("value.not_boolean"), {{"value", std::string(raw)}},
                                 fmt::format("'{}' must be 1 or 0, got '{}'", spec.name, raw)));
    }
    case FieldType::kDate: {
      if (!ParseDate(raw, spec.name)) {
        return std::unexpected(Bad(spec, MsgCode("value.not_date"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' must be a date YYYY-MM-DD, got '{}'", spec.name, raw)));
      }
      return ok(std::string(raw));
    }
    case FieldType::kBirthDate: {
      if (raw.size() == 4 && AllDigits(raw)) {
        int y = std::stoi(std::string(raw));
        if (y < 1880 || y > DateOf(std::chrono::system_clock::now()).year)
          return std::unexpected(Bad(spec, MsgCode("value.implausible_year"), {{"value", std::to_string(y)}},
                                     fmt::format("'{}' year {} is not plausible", spec.name, y)));
        return ok(std::string(raw));
      }
      auto d = ParseDate(raw, spec.name);
      if (!d)
        return std::unexpected(Bad(spec, MsgCode("value.not_birth_date"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' must be YYYY-MM-DD or YYYY, got '{}'", spec.name, raw)));
      if (d->year < 1880)
        return std::unexpected(Bad(spec, MsgCode("value.implausible_year"), {{"value", std::to_string(d->year)}},
                                   fmt::format("'{}' year {} is not plausible", spec.name, d->year)));
      if (*d > DateOf(std::chrono::system_clock::now())) {
        return std::unexpected(Bad(spec, MsgCode("field.in_future"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' {} is in the future", spec.name, raw)));
      }
      return ok(std::string(raw));
    }
    case FieldType::kEnum: {
      if (std::find(spec.allowed.begin(), spec.allowed.end(), raw) == spec.allowed.end()) {
        std::string all;
        for (auto a : spec.allowed) {
          if (a.empty()) continue;
          all += all.empty() ? "" : ", ";
          all += a;
        }
        return std::unexpected(Bad(spec, MsgCode("value.not_allowed"), {{"value", std::string(raw)}, {"allowed", all}},
                                   fmt::format("'{}' must be one of: {}; got '{}'", spec.name, all, raw)));
      }
      return ok(std::string(raw));
    }
    case FieldType::kArea:
      if (raw.size() > 32 || !CountryOfArea(raw)) {
        return std::unexpected(
            Bad(spec, MsgCode("value.not_area"), {{"value", std::string(raw)}},
                fmt::format("'{}' must be an area code such as MA-03.231.01.03 or DZ-1607, got '{}'", spec.name, raw)));
      }
      return ok(std::string(raw));
    case FieldType::kNationalId: {
      std::string v(raw);
      std::erase(v, ' ');
      for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (country == CountryCode::kMorocco) {
        // CIN: one or two letters then up to six digits (e.g. BK123456, A12345).
        std::size_t letters = 0;
        while (letters < v.size() && v[letters] >= 'A' && v[letters] <= 'Z') ++letters;
        std::string_view digits = std::string_view(v).substr(letters);
        if (letters < 1 || letters > 2 || digits.size() > 6 || !AllDigits(digits)) {
          return std::unexpected(
              Bad(spec, MsgCode("value.not_cin"), {{"value", std::string(raw)}},
                  fmt::format("'{}' is not a Moroccan CIN (1–2 letters and up to 6 digits, e.g. BK123456): '{}'",
                              spec.name, raw)));
        }
      } else if (v.size() != 18 || !AllDigits(v)) {
        return std::unexpected(Bad(spec, MsgCode("value.not_nin"), {{"value", std::string(raw)}},
                                   fmt::format("'{}' is not an Algerian NIN (18 digits): '{}'", spec.name, raw)));
      }
      return ok(v);
    }
    case FieldType::kPhone: {
      std::string v;
      for (char c : raw) {
        if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') v.push_back(c);
      }
      if (v.starts_with("00")) v = "+" + v.substr(2);
      const std::string cc = country == CountryCode::kMorocco ? "+212" : "+213";
      if (v.size() == 10 && v[0] == '0' && AllDigits(v)) v = cc + v.substr(1);  // national form 06…/05…
      bool valid = (v.starts_with("+212") || v.starts_with("+213")) && v.size() == 13 && AllDigits(v.substr(1)) &&
                   v[4] >= '5' && v[4] <= '7';
      if (!valid) {
        return std::unexpected(
            Bad(spec, MsgCode("value.not_phone"), {{"value", std::string(raw)}},
                fmt::format("'{}' is not a Moroccan or Algerian phone number (+2126…, 06…, +2135…): '{}'", spec.name,
                            raw)));
      }
      return ok(v);
    }
  }
  return std::optional<std::string>();
}

ParsedObject ReadObject(std::span<const FieldSpec> fields, const nlohmann::json& obj, CountryCode country, bool partial,
                        std::string_view where, std::vector<Problem>& problems) {
  ParsedObject out{Values(fields.size()), std::vector<bool>(fields.size(), false)};
  if (!obj.is_object()) {
    problems.push_back({std::string(MsgCode("field.not_object")),
                        std::string(where),
                        {{"field", std::string(where.substr(where.find_last_of('.') + 1))}},
                        ""});
    return out;
  }
  // Every problem of the object at once, so that a form shows each bad field together.
  auto problem = [&](std::string_view reason, MessageParams params, std::string path) {
    problems.push_back({std::string(reason), std::move(path), std::move(params), ""});
  };
  for (const auto& [key, value] : obj.items()) {
    int i = FieldIndex(fields, key);
    std::string path = fmt::format("{}.{}", where, key);
    if (i < 0) {
      problem(MsgCode("field.unknown"), {{"name", key}}, path);
      continue;
    }
    const FieldSpec& spec = fields[i];
    if (spec.access == Access::kSystem) {
      problem(MsgCode("field.system"), {{"field", key}}, path);
      continue;
    }
    out.present[i] = true;
    std::string raw;
    if (value.is_null()) {
      raw.clear();
    } else if (value.is_string()) {
      raw = value.get<std::string>();
    } else if (value.is_boolean() && spec.type == FieldType::kBool) {
      raw = value.get<bool>() ? "1" : "0";
    } else if (value.is_number_integer() && (spec.type == FieldType::kInt || spec.type == FieldType::kDecimal)) {
      raw = std::to_string(value.get<long long>());
    } else if (value.is_number() && spec.type == FieldType::kDecimal) {
      raw = fmt::format("{}", value.get<double>());
    } else {
      problem(spec.type == FieldType::kBool      ? MsgCode("field.not_boolean")
              : spec.type == FieldType::kInt     ? MsgCode("field.not_integer")
              : spec.type == FieldType::kDecimal ? MsgCode("field.not_number")
                                                 : MsgCode("field.not_string"),
              {{"field", key}}, path);
      continue;
    }
    auto v = NormalizeValue(spec, raw, country);
    if (!v) {
      const Error& e = v.error();
      problems.push_back({e.reason, path, e.params, e.reason.empty() ? e.message : ""});
      continue;
    }
    if (!*v && spec.required) {
      problem(MsgCode("field.required"), {{"field", key}}, path);
      continue;
    }
    out.values[i] = std::move(*v);
  }
  if (!partial) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].required && !out.values[i] && !out.present[i]) {
        problem(MsgCode("field.required"), {{"field", std::string(fields[i].name)}},
                fmt::format("{}.{}", where, fields[i].name));
      }
    }
  }
  return out;
}

Result<ParsedObject> ParseObject(std::span<const FieldSpec> fields, const nlohmann::json& obj, CountryCode country,
                                 bool partial, std::string_view where) {
  std::vector<Problem> problems;
  ParsedObject out = ReadObject(fields, obj, country, partial, where, problems);
  if (problems.empty()) return out;
  return FormFailure(std::move(problems));
}

Error FormError(std::vector<Problem> problems) {
  if (problems.size() == 1) {
    Problem& p = problems.front();
    Error e{Code::kInvalidArgument, std::move(p.message), std::move(p.field), 0, std::move(p.reason)};
    e.params = std::move(p.params);
    return e;
  }
  return Failures(Code::kInvalidArgument, "form.invalid", std::move(problems)).error();
}

nlohmann::json ValueJson(const FieldSpec& spec, const std::optional<std::string>& v) {
  if (!v) return nullptr;
  switch (spec.type) {
    case FieldType::kInt: {
      long long n = 0;
      std::from_chars(v->data(), v->data() + v->size(), n);
      return n;
    }
    case FieldType::kDecimal: {
      double d = 0;
      std::from_chars(v->data(), v->data() + v->size(), d);
      return d;
    }
    case FieldType::kBool:
      return *v == "1" || *v == "true" || *v == "t";
    default:
      return *v;
  }
}

nlohmann::json ValuesJson(std::span<const FieldSpec> fields, const Values& values) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < fields.size() && i < values.size(); ++i)
    out[std::string(fields[i].name)] = ValueJson(fields[i], values[i]);
  return out;
}

Status CheckPerson(const Values& p, std::string_view where) {
  static const int gar = FieldIndex(kPersonFields, "given_name_ar"), far = FieldIndex(kPersonFields, "family_name_ar"),
                   glat = FieldIndex(kPersonFields, "given_name_lat"),
                   flat = FieldIndex(kPersonFields, "family_name_lat"),
                   dtype = FieldIndex(kPersonFields, "disability_type"),
                   dpct = FieldIndex(kPersonFields, "disability_percent");
  // Every problem of the person at once (an import row's report lists them all).
  std::vector<Problem> problems;
  bool arabic = p[gar] && p[far];
  bool latin = p[glat] && p[flat];
  if (!arabic && !latin)
    problems.push_back({std::string(MsgCode("person.no_name")), fmt::format("{}.given_name_ar", where), {}, ""});
  bool has_pct = p[dpct] && *p[dpct] != "0";
  bool has_type = p[dtype] && *p[dtype] != "none";
  if (has_pct != has_type && p[dtype]) {
    problems.push_back({std::string(MsgCode("person.disability_mismatch")),
                        fmt::format("{}.disability_type", where),
                        {{"type", *p[dtype]}, {"percent", p[dpct].value_or("")}},
                        ""});
  }
  if (problems.empty()) return Ok();
  return FormFailure(std::move(problems));
}

}  // namespace sanad::registry

#include "dci/person_predicate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace sanad::dci {

using Json = nlohmann::json;

namespace {

Error BadPredicate(std::string message) { return Error{Code::kInvalidArgument, std::move(message), "query"}; }

std::string Text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return fmt::format("{}", v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

bool IsDate(const std::string& s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

std::optional<long long> Integer(const Json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number()) return static_cast<long long>(v.get<double>());
  if (v.is_string()) {
    try {
      std::size_t used = 0;
      double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return static_cast<long long>(d);
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

// today minus `years` as YYYY-MM-DD (29 February falls back to the 28th).
std::string YearsBefore(const std::string& today, long long years) {
  int y = std::stoi(today.substr(0, 4)) - static_cast<int>(years);
  std::string md = today.substr(4);
  if (md == "-02-29") md = "-02-28";
  return fmt::format("{:04d}{}", y, md);
}

std::string SqlOp(const std::string& op) {
  if (op == "eq" || op == "=") return "=";
  if (op == "lt") return "<";
  if (op == "gt") return ">";
  if (op == "le") return "<=";
  if (op == "ge") return ">=";
  return "";
}

Condition Term(std::string sql, std::vector<std::string> values) {
  Condition c;
  c.sql = std::move(sql);
  c.values = std::move(values);
  return c;
}

Condition Combine(Condition::Kind kind, std::vector<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}

}  // namespace

Result<Condition> TermOf(const std::string& attribute, const std::string& op_in, const Json& value,
                         const std::string& today) {
  std::string op = op_in;
  if (op.starts_with("$")) op = op.substr(1);
  if (op == "lte") op = "le";
  if (op == "gte") op = "ge";
  std::vector<Json> list;
  if (op == "in") {
    if (!value.is_array() || value.empty() || value.size() > 1000)
      return std::unexpected(BadPredicate(fmt::format("'{}' in needs a list of 1–1000 values", attribute)));
    list.assign(value.begin(), value.end());
  } else if (SqlOp(op).empty()) {
    return std::unexpected(BadPredicate(fmt::format("operator '{}' is not one of gt, lt, eq, ge, le, in", op_in)));
  } else if (value.is_array() || value.is_object() || value.is_null()) {
    return std::unexpected(BadPredicate(fmt::format("'{}' needs a single value", attribute)));
  }
  // Each value of an `in` is an eq; the terms are joined by or.
  auto each = [&](auto make) -> Result<Condition> {
    if (op != "in") return make(SqlOp(op), value);
    std::vector<Condition> any;
    for (const auto& v : list) {
      auto t = make(std::string("="), v);
      if (!t) return t;
      any.push_back(std::move(*t));
    }
    return any.size() == 1 ? any[0] : Combine(Condition::Kind::kOr, std::move(any));
  };
  if (attribute == "national_id" || attribute == "NIN" || attribute == "UIN" || attribute == "CIN") {
    return each([](const std::string& o, const Json& v) -> Result<Condition> {
      std::string id;
      for (char c : Text(v))
        if (c != ' ') id.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      return Term("p.national_id " + o + " ?", {id});
    });
  }
  if (attribute == "birth_date" || attribute == "dob" || attribute == "DOB") {
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      std::string d = Text(v).substr(0, 10);
      if (!IsDate(d)) return std::unexpected(BadPredicate("birth_date values are dates YYYY-MM-DD"));
      return Term("p.birth_date " + o + " ?", {d});
    });
  }
  if (attribute == "age") {
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      auto n = Integer(v);
      if (!n || *n < 0 || *n > 150) return std::unexpected(BadPredicate("age values are whole years 0–150"));
      // Age N on `today` ⇔ birth date in (today − (N+1) years, today − N years].
      const std::string lo = YearsBefore(today, *n + 1), hi = YearsBefore(today, *n);
      if (o == "=") return Term("(p.birth_date > ? AND p.birth_date <= ?)", {lo, hi});
      if (o == "<") return Term("p.birth_date > ?", {hi});
      if (o == "<=") return Term("p.birth_date > ?", {lo});
      if (o == ">") return Term("p.birth_date <= ?", {lo});
      return Term("p.birth_date <= ?", {hi});  // >=
    });
  }
  if (attribute == "sex" || attribute == "gender") {
    return each([](const std::string& o, const Json& v) -> Result<Condition> {
      std::string s = Text(v);
      if (s == "male" || s == "m") s = "M";
      if (s == "female" || s == "f") s = "F";
      return Term("p.sex " + o + " ?", {s});
    });
  }
  if (attribute == "marital_status" || attribute == "status") {
    const std::string column = attribute == "status" ? "p.status" : "p.marital_status";
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      return Term(column + " " + o + " ?", {Text(v)});
    });
  }
  if (attribute == "disability_percent" || attribute == "household_size" || attribute == "group_size") {
    const std::string column =
        attribute == "disability_percent"
            ? "p.disability_percent"
            : "(SELECT COUNT(*) FROM persons m WHERE m.household_id = p.household_id AND m.status = 'active')";
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      auto n = Integer(v);
      if (!n) return std::unexpected(BadPredicate(fmt::format("'{}' values are numbers", attribute)));
      // A validated integer: written into the SQL (a bound text would compare as text on SQLite).
      return Term(fmt::format("{} {} {}", column, o, *n), {});
    });
  }
  if (attribute == "poverty_score" || attribute == "score") {
    // The household's socio-economic index (household_scores; docs/domain.md §1.2); unscored: no match.
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      double d = 0;
      if (v.is_number()) {
        d = v.get<double>();
      } else if (v.is_string()) {
        try {
          std::size_t used = 0;
          d = std::stod(v.get<std::string>(), &used);
          if (used != v.get<std::string>().size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
          return std::unexpected(BadPredicate("poverty_score values are numbers"));
        }
      } else {
        return std::unexpected(BadPredicate("poverty_score values are numbers"));
      }
      if (!std::isfinite(d)) return std::unexpected(BadPredicate("poverty_score values are numbers"));
      return Term(
          fmt::format("(SELECT hs.score FROM household_scores hs WHERE hs.household_id = p.household_id) {} {}", o, d),
          {});
    });
  }
  if (attribute == "area" || attribute == "location" || attribute == "commune_code" || attribute == "admin_area_code" ||
      attribute == "area_code") {
    return each([&](const std::string& o, const Json& v) -> Result<Condition> {
      if (o != "=") return std::unexpected(BadPredicate("area takes eq or in"));
      const std::string a = Text(v);
      return Term("(h.commune_code = ? OR h.commune_code LIKE ?)", {a, a + ".%"});
    });
  }
  return std::unexpected(BadPredicate(
      fmt::format("unsupported attribute '{}' (national_id, phone, name, birth_date, age, sex, marital_status, "
                  "disability_percent, status, area, household_size, poverty_score)",
                  attribute)));
}

Result<Condition> FromPredicate(const Json& query, const std::string& today) {
  Json list = query.is_array() ? query : Json::array({query});
  if (list.empty()) return std::unexpected(BadPredicate("the predicate query is empty"));
  std::vector<std::pair<double, Condition>> items;
  std::size_t i = 0;
  for (const auto& pred : list) {
    if (!pred.is_object() || !pred.contains("expression1"))
      return std::unexpected(BadPredicate("each predicate is an object with expression1"));
    auto expr = [&](const Json& e) -> Result<Condition> {
      if (!e.is_object() || !e.contains("attribute_name") || !e["attribute_name"].is_string() ||
          !e.contains("attribute_value"))
        return std::unexpected(BadPredicate("an expression needs attribute_name, operator and attribute_value"));
      const Json op = e.contains("operator") ? e["operator"] : Json("eq");
      if (!op.is_string()) return std::unexpected(BadPredicate("operator must be a string"));
      return TermOf(e["attribute_name"], op, e["attribute_value"], today);
    };
    auto first = expr(pred["expression1"]);
    if (!first) return first;
    Condition c = std::move(*first);
    if (pred.contains("expression2") && !pred["expression2"].is_null()) {
      auto second = expr(pred["expression2"]);
      if (!second) return second;
      const Json cond = pred.contains("condition") ? pred["condition"] : Json("and");
      if (!cond.is_string()) return std::unexpected(BadPredicate("condition must be and, or or not"));
      const std::string k = cond;
      if (k == "and") {
        c = Combine(Condition::Kind::kAnd, {std::move(c), std::move(*second)});
      } else if (k == "or") {
        c = Combine(Condition::Kind::kOr, {std::move(c), std::move(*second)});
      } else if (k == "not") {
        // "expression1 not expression2": the first and not the second.
        c = Combine(Condition::Kind::kAnd, {std::move(c), Combine(Condition::Kind::kNot, {std::move(*second)})});
      } else {
        return std::unexpected(BadPredicate("condition must be and, or or not"));
      }
    } else if (pred.contains("condition") && pred["condition"] == "not") {
      c = Combine(Condition::Kind::kNot, {std::move(c)});
    } else if (pred.contains("condition") && !pred["condition"].is_null() && !pred["condition"].is_string()) {
      return std::unexpected(BadPredicate("condition must be and, or or not"));
    }
    const double seq = pred.contains("seq_num") && pred["seq_num"].is_number() ? pred["seq_num"].get<double>()
                                                                               : static_cast<double>(i);
    items.emplace_back(seq, std::move(c));
    ++i;
  }
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (items.size() == 1) return std::move(items[0].second);
  std::vector<Condition> all;
  all.reserve(items.size());
  for (auto& [seq, c] : items) all.push_back(std::move(c));
  return Combine(Condition::Kind::kAnd, std::move(all));
}

namespace {

Result<Condition> Document(const Json& q, const std::string& today, int depth) {
  if (depth > 16) return std::unexpected(BadPredicate("the expression nests too deeply"));
  if (!q.is_object() || q.empty()) return std::unexpected(BadPredicate("each expression clause is a non-empty object"));
  std::vector<Condition> all;
  for (const auto& [key, v] : q.items()) {
    if (key == "$and" || key == "$or") {
      if (!v.is_array() || v.empty()) return std::unexpected(BadPredicate(key + " takes a non-empty list"));
      std::vector<Condition> parts;
      for (const auto& sub : v) {
        auto c = Document(sub, today, depth + 1);
        if (!c) return c;
        parts.push_back(std::move(*c));
      }
      all.push_back(parts.size() == 1
                        ? parts[0]
                        : Combine(key == "$and" ? Condition::Kind::kAnd : Condition::Kind::kOr, std::move(parts)));
    } else if (key == "$not") {
      auto c = Document(v, today, depth + 1);
      if (!c) return c;
      all.push_back(Combine(Condition::Kind::kNot, {std::move(*c)}));
    } else if (key.starts_with("$")) {
      return std::unexpected(BadPredicate(fmt::format("operator {} is not supported ($and, $or, $not)", key)));
    } else if (v.is_object()) {
      for (const auto& [op, value] : v.items()) {
        auto t = TermOf(key, op, value, today);
        if (!t) return t;
        all.push_back(std::move(*t));
      }
    } else {
      auto t = TermOf(key, "eq", v, today);
      if (!t) return t;
      all.push_back(std::move(*t));
    }
  }
  if (all.size() == 1) return std::move(all[0]);
  return Combine(Condition::Kind::kAnd, std::move(all));
}

}  // namespace

Result<Condition> FromExpression(const Json& query, const std::string& today) {
  if (!query.is_object())
    return std::unexpected(BadPredicate("an expression query is an object {type, value: {expression}}"));
  const Json* e = &query;
  if (e->contains("value") && (*e)["value"].is_object()) e = &(*e)["value"];
  if (e->contains("expression")) e = &(*e)["expression"];
  if (e->is_object() && e->contains("query")) e = &(*e)["query"];
  return Document(*e, today, 0);
}

std::string ConditionSql(const Condition& c, std::vector<std::string>& values) {
  switch (c.kind) {
    case Condition::Kind::kTerm: {
      std::string out;
      std::size_t k = 0;
      for (char ch : c.sql) {
        if (ch == '?') {
          out += fmt::format(":v{}", values.size());
          values.push_back(c.values.at(k++));
        } else {
          out.push_back(ch);
        }
      }
      return "(" + out + ")";
    }
    case Condition::Kind::kNot:
      return "NOT " + ConditionSql(c.children.at(0), values);
    case Condition::Kind::kAnd:
    case Condition::Kind::kOr: {
      std::string out;
      for (const auto& child : c.children) {
        if (!out.empty()) out += c.kind == Condition::Kind::kAnd ? " AND " : " OR ";
        out += ConditionSql(child, values);
      }
      return "(" + out + ")";
    }
  }
  return "(1 = 1)";
}

}  // namespace sanad::dci

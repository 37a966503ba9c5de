#include "http/json_input.h"

#include <charconv>
#include <fmt/format.h>

#include "core/time.h"
#include "core/utf8.h"

namespace sanad::http {

namespace {

std::string TypeName(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "a number";
  }
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
}  // namespace

Result<nlohmann::json> ParseJsonObject(const Request& req) {
  const std::string* ct = req.Header("content-type");
  if (!ct || !(ct->starts_with("application/json"))) {
    return Fail(Code::kUnsupportedMedia, "the body must be JSON: send Content-Type: application/json", "Content-Type");
  }
  if (req.body.empty()) return Fail(Code::kInvalidArgument, "the request body is empty; a JSON object is required", "body");
  // Depth limit: a hostile body of 100,000 '[' must not exhaust the stack of the recursive parser.
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : req.body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  if (max_depth > 32) return Fail(Code::kInvalidArgument, "the JSON body is nested more than 32 levels deep", "body");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    return Fail(Code::kInvalidArgument, fmt::format("malformed JSON at byte {}: {}", e.byte, e.what()), "body");
  }
  if (!j.is_object()) return Fail(Code::kInvalidArgument, fmt::format("the body must be a JSON object, not {}", TypeName(j)), "body");
  return j;
}

const nlohmann::json* ObjectReader::Get(const std::string& name) {
  seen_.insert(name);
  auto it = obj_.find(name);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> ObjectReader::RequiredString(const std::string& name, std::size_t max_len) {
  auto v = OptionalString(name, max_len);
  if (!v) return std::unexpected(v.error());
  if (!*v) return Fail(Code::kInvalidArgument, fmt::format("'{}' is required", name), prefix_ + name);
  return **v;
}

Result<std::optional<std::string>> ObjectReader::OptionalString(const std::string& name, std::size_t max_len) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' must be a string, not {}", name, TypeName(*v)), prefix_ + name);
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' is longer than {} bytes", name, max_len), prefix_ + name);
  }
  return std::optional<std::string>(s);
}

Result<std::vector<std::string>> ObjectReader::StringArray(const std::string& name, bool required, std::size_t max_items) {
  const nlohmann::json* v = Get(name);
  std::vector<std::string> out;
  if (!v) {
    if (required) return Fail(Code::kInvalidArgument, fmt::format("'{}' is required", name), prefix_ + name);
    return out;
  }
  if (!v->is_array()) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' must be an array of strings, not {}", name, TypeName(*v)), prefix_ + name);
  }
  if (v->size() > max_items) return Fail(Code::kInvalidArgument, fmt::format("'{}' has more than {} items", name, max_items), prefix_ + name);
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return Fail(Code::kInvalidArgument, fmt::format("'{}[{}]' must be a string", name, i), fmt::format("{}{}[{}]", prefix_, name, i));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

Result<std::optional<long long>> ObjectReader::OptionalInt(const std::string& name, long long min, long long max) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<long long>();
  if (!v->is_number_integer()) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' must be an integer, not {}", name, TypeName(*v)), prefix_ + name);
  }
  long long n = v->get<long long>();
  if (n < min || n > max) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' must be between {} and {}", name, min, max), prefix_ + name);
  }
  return std::optional<long long>(n);
}

Status ObjectReader::RejectUnknown() const {
  for (const auto& [k, v] : obj_.items()) {
    if (!seen_.contains(k)) return Fail(Code::kInvalidArgument, fmt::format("unknown field '{}'", k), prefix_ + k);
  }
  return Ok();
}

QueryReader::QueryReader(const Request& req) : req_(req) {}

Result<std::optional<std::string>> QueryReader::String(const std::string& name, std::size_t max_len) {
  seen_.insert(name);
  std::optional<std::string> found;
  for (const auto& [k, v] : req_.query) {
    if (k != name) continue;
    if (found) return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' is given twice", name), name);
    found = v;
  }
  if (found && found->size() > max_len) {
    return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' is longer than {} bytes", name, max_len), name);
  }
  if (found && !IsValidUtf8(*found)) {
    return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' is not valid UTF-8", name), name);
  }
  return found;
}

Result<std::optional<std::string>> QueryReader::OneOf(const std::string& name, std::initializer_list<const char*> allowed) {
  auto v = String(name);
  if (!v || !*v) return v;
  for (const char* a : allowed) {
    if (**v == a) return v;
  }
  return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' must be one of: {}", name, fmt::join(allowed, ", ")), name);
}

Result<int> QueryReader::Int(const std::string& name, int default_value, int min, int max) {
  auto v = String(name, 20);
  if (!v) return std::unexpected(v.error());
  if (!*v) return default_value;
  int n = 0;
  auto [p, ec] = std::from_chars((*v)->data(), (*v)->data() + (*v)->size(), n);
  if (ec != std::errc() || p != (*v)->data() + (*v)->size()) {
    return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' must be an integer, got '{}'", name, **v), name);
  }
  if (n < min || n > max) {
    return Fail(Code::kInvalidArgument, fmt::format("query parameter '{}' must be between {} and {}", name, min, max), name);
  }
  return n;
}

Result<std::optional<std::string>> QueryReader::Date(const std::string& name) {
  auto v = String(name, 20);
  if (!v || !*v) return v;
  auto d = ParseDate(**v, name);
  if (!d) return std::unexpected(d.error());
  return v;
}

Status QueryReader::RejectUnknown() const {
  for (const auto& [k, v] : req_.query) {
    if (!seen_.contains(k)) return Fail(Code::kInvalidArgument, fmt::format("unknown query parameter '{}'", k), k);
  }
  return Ok();
}

Result<std::int64_t> PathId(const Request& req, const std::string& name) {
  const std::string& v = req.Param(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || p != v.data() + v.size() || id <= 0) {
    return Fail(Code::kInvalidArgument, fmt::format("'{}' must be a positive integer id", v), name);
  }
  return id;
}

Result<Paging> ReadPaging(QueryReader& q, int max_limit) {
  auto limit = q.Int("limit", 100 < max_limit ? 100 : max_limit, 1, max_limit);
  if (!limit) return std::unexpected(limit.error());
  auto offset = q.Int("offset", 0, 0, 10'000'000);
  if (!offset) return std::unexpected(offset.error());
  return Paging{*limit, *offset};
}

std::string ListJson(const nlohmann::json& items, long long total, const Paging& paging) {
  nlohmann::json out{{"items", items}, {"total", total}, {"limit", paging.limit}, {"offset", paging.offset}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sanad::http

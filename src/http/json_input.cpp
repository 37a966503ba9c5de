#include "http/json_input.h"

#include <fmt/format.h>
#include <charconv>
#include <cmath>

#include "core/time.h"
#include "core/utf8.h"

namespace sanad::http {

namespace {

// A JSON type as a catalogue key (type_name.<kind>).
std::string TypeName(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "number";
  }
}

// A SAX handler around nlohmann's DOM builder that refuses what the DOM parser would silently accept
// or throw on: duplicate keys (the last one would win, so two components reading the same document
// could disagree), numbers outside the range of a double ("1e999"), and nesting deeper than a fixed
// limit (the DOM is built recursively elsewhere). It keeps the JSON pointer of the value being read so
// that every error names where it is.
class StrictSax {
 public:
  using Json = nlohmann::json;
  explicit StrictSax(Json& root) : dom_(root, false) {}

  bool null() { return Value() && dom_.null(); }
  bool boolean(bool v) { return Value() && dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return Value() && dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return Value() && dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const std::string& s) {
    if (!std::isfinite(v)) return Refuse("json.number_out_of_range", {{"value", s}});
    return Value() && dom_.number_float(v, s);
  }
  bool string(std::string& v) {
    Value();
    // U+0000 is valid JSON but no text field may hold it (PostgreSQL cannot store it).
    if (v.find('\0') != std::string::npos) return Refuse("json.nul_in_string", {});
    return dom_.string(v);
  }
  bool binary(Json::binary_t& v) { return Value() && dom_.binary(v); }
  bool start_object(std::size_t n) { return Open(true) && dom_.start_object(n); }
  bool end_object() { return Close() && dom_.end_object(); }
  bool start_array(std::size_t n) { return Open(false) && dom_.start_array(n); }
  bool end_array() { return Close() && dom_.end_array(); }
  bool key(std::string& k) {
    Frame& f = stack_.back();
    f.key = k;
    if (k.find('\0') != std::string::npos) return Refuse("json.nul_in_key", {});
    if (!f.keys.insert(k).second) return Refuse("json.duplicate_key", {{"key", k}});
    return dom_.key(k);
  }
  bool parse_error(std::size_t position, const std::string& /*token*/, const nlohmann::detail::exception& ex) {
    // out_of_range 406 is the lexer's own overflow check ("1e999"); everything else is a syntax error.
    if (ex.id == 406) {
      Value();  // the number being read is the next element of an enclosing array
      error_ = Failure(Code::kInvalidArgument, "json.number_out_of_range_at", {{"position", std::to_string(position)}},
                       Pointer().empty() ? "body" : Pointer())
                   .error();
    } else {
      // A syntax error is about the document; the parameter says at which byte. The parser's own
      // English words stay in the message (logs, API users reading English).
      std::string what = ex.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 3: …" → the part after the type.
      if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
      error_ = Failure(Code::kInvalidArgument, "json.malformed_at", {{"position", std::to_string(position)}}, "body")
                   .error();
      error_->message = fmt::format("malformed JSON at byte {}: {}", position, what);
    }
    return false;
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  struct Frame {
    bool object = true;
    std::string key;  // the current member (objects)
    long index = -1;  // the current element (arrays)
    std::set<std::string> keys;
  };
  static constexpr std::size_t kMaxDepth = 32;

  // A scalar or a nested container starts: it is the next element when the parent is an array.
  bool Value() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
    return true;
  }
  bool Open(bool object) {
    Value();
    if (stack_.size() >= kMaxDepth) {
      error_ = Failure(Code::kInvalidArgument, "json.too_deep", {{"max", std::to_string(kMaxDepth)}}, "body").error();
      return false;
    }
    stack_.push_back(Frame{object, "", -1, {}});
    return true;
  }
  bool Close() {
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }
  bool Refuse(std::string reason, MessageParams params) {
    std::string where = Pointer();
    error_ = Error{Code::kInvalidArgument, {}, where.empty() ? "body" : where, 0, std::move(reason)};
    error_->params = std::move(params);
    return false;
  }
  // RFC 6901 pointer of the value being read, e.g. "/payload/members/2/phone".
  std::string Pointer() const {
    std::string out;
    for (const Frame& f : stack_) {
      if (f.object) {
        if (f.key.empty() && &f == &stack_.back()) break;
        out += '/';
        for (char c : f.key) {
          if (c == '~')
            out += "~0";
          else if (c == '/')
            out += "~1";
          else
            out += c;
        }
      } else {
        if (f.index < 0) break;
        out += fmt::format("/{}", f.index);
      }
    }
    return out;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::vector<Frame> stack_;
  std::optional<Error> error_;
};

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Failure(Code::kInvalidArgument, "json.empty_body", {}, "body");
  }
  nlohmann::json j;
  StrictSax sax(j);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true);
  } catch (const std::exception& e) {
    // The SAX interface reports through parse_error; this is only a last line of defence (bad_alloc).
    return Failure(Code::kInvalidArgument, "json.unreadable", {}, "body");
  }
  if (!ok) {
    if (sax.error()) return std::unexpected(*sax.error());
    return Failure(Code::kInvalidArgument, "json.malformed", {}, "body");
  }
  return j;
}

Result<nlohmann::json> ParseJsonObject(const Request& req) {
  const std::string* ct = req.Header("content-type");
  if (!ct || !(ct->starts_with("application/json"))) {
    return Failure(Code::kUnsupportedMedia, "json.content_type", {}, "Content-Type");
  }
  if (req.body.empty()) return Failure(Code::kInvalidArgument, "json.empty_body", {}, "body");
  auto j = ParseJson(req.body);
  if (!j) return j;
  if (!j->is_object()) return Failure(Code::kInvalidArgument, "json.not_object", {{"type", TypeName(*j)}}, "body");
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
  if (!*v) return Failure(Code::kInvalidArgument, "field.required", {{"field", name}}, prefix_ + name);
  return **v;
}

Result<std::optional<std::string>> ObjectReader::OptionalString(const std::string& name, std::size_t max_len) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) {
    return Failure(Code::kInvalidArgument, "field.not_string", {{"field", name}}, prefix_ + name);
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    return Failure(Code::kInvalidArgument, "field.too_long", {{"field", name}, {"max", std::to_string(max_len)}},
                   prefix_ + name);
  }
  return std::optional<std::string>(s);
}

Result<std::vector<std::string>> ObjectReader::StringArray(const std::string& name, bool required,
                                                           std::size_t max_items) {
  const nlohmann::json* v = Get(name);
  std::vector<std::string> out;
  if (!v) {
    if (required) return Failure(Code::kInvalidArgument, "field.required", {{"field", name}}, prefix_ + name);
    return out;
  }
  if (!v->is_array()) {
    return Failure(Code::kInvalidArgument, "field.not_string_array", {{"field", name}}, prefix_ + name);
  }
  if (v->size() > max_items)
    return Failure(Code::kInvalidArgument, "field.too_many_items",
                   {{"field", name}, {"max", std::to_string(max_items)}}, prefix_ + name);
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return Failure(Code::kInvalidArgument, "field.item_not_string",
                     {{"field", name}, {"index", std::to_string(i + 1)}}, fmt::format("{}{}[{}]", prefix_, name, i));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

Result<std::optional<long long>> ObjectReader::OptionalInt(const std::string& name, long long min, long long max) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<long long>();
  if (!v->is_number_integer()) {
    return Failure(Code::kInvalidArgument, "field.not_integer", {{"field", name}}, prefix_ + name);
  }
  // An unsigned value above INT64_MAX would wrap to a negative long long.
  const bool too_big = v->is_number_unsigned() && v->get<unsigned long long>() > static_cast<unsigned long long>(max);
  const long long n = too_big ? max : v->get<long long>();
  if (too_big || n < min || n > max) {
    return Failure(Code::kInvalidArgument, "field.out_of_range",
                   {{"field", name}, {"min", fmt::format("{}", min)}, {"max", fmt::format("{}", max)}}, prefix_ + name);
  }
  return std::optional<long long>(n);
}

Result<std::optional<bool>> ObjectReader::OptionalBool(const std::string& name) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) {
    return Failure(Code::kInvalidArgument, "field.not_boolean", {{"field", name}}, prefix_ + name);
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<double>> ObjectReader::OptionalNumber(const std::string& name, double min, double max) {
  const nlohmann::json* v = Get(name);
  if (!v) return std::optional<double>();
  if (!v->is_number()) {
    return Failure(Code::kInvalidArgument, "field.not_number", {{"field", name}}, prefix_ + name);
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    return Failure(Code::kInvalidArgument, "field.out_of_range",
                   {{"field", name}, {"min", fmt::format("{}", min)}, {"max", fmt::format("{}", max)}}, prefix_ + name);
  }
  return std::optional<double>(d);
}

Result<const nlohmann::json*> ObjectReader::OptionalObject(const std::string& name) {
  const nlohmann::json* v = Get(name);
  if (!v) return static_cast<const nlohmann::json*>(nullptr);
  if (!v->is_object()) {
    return Failure(Code::kInvalidArgument, "field.not_object", {{"field", name}}, prefix_ + name);
  }
  return v;
}

Result<const nlohmann::json*> ObjectReader::RequiredArray(const std::string& name, std::size_t max_items) {
  const nlohmann::json* v = Get(name);
  if (!v || (v->is_array() && v->empty())) {
    return Failure(Code::kInvalidArgument, "field.required", {{"field", name}}, prefix_ + name);
  }
  if (!v->is_array()) return Failure(Code::kInvalidArgument, "field.not_array", {{"field", name}}, prefix_ + name);
  if (v->size() > max_items) {
    return Failure(Code::kInvalidArgument, "field.too_many_items",
                   {{"field", name}, {"max", std::to_string(max_items)}}, prefix_ + name);
  }
  return v;
}

Status ObjectReader::RejectUnknown() const {
  for (const auto& [k, v] : obj_.items()) {
    if (!seen_.contains(k)) return Failure(Code::kInvalidArgument, "field.unknown", {{"name", k}}, prefix_ + k);
  }
  return Ok();
}

QueryReader::QueryReader(const Request& req) : req_(req) {}

Result<std::optional<std::string>> QueryReader::String(const std::string& name, std::size_t max_len) {
  seen_.insert(name);
  std::optional<std::string> found;
  for (const auto& [k, v] : req_.query) {
    if (k != name) continue;
    if (found) return Failure(Code::kInvalidArgument, "query.repeated", {{"name", name}}, name);
    found = v;
  }
  if (found && found->size() > max_len) {
    return Failure(Code::kInvalidArgument, "query.too_long", {{"name", name}, {"max", std::to_string(max_len)}}, name);
  }
  if (found && !IsValidUtf8(*found)) {
    return Failure(Code::kInvalidArgument, "query.bad_utf8", {{"name", name}}, name);
  }
  return found;
}

namespace {

template <typename List>
Result<std::optional<std::string>> CheckOneOf(Result<std::optional<std::string>> v, const std::string& name,
                                              const List& allowed) {
  if (!v || !*v) return v;
  for (const auto& a : allowed) {
    if (**v == a) return v;
  }
  return Failure(Code::kInvalidArgument, "query.not_one_of",
                 {{"name", name}, {"allowed", fmt::format("{}", fmt::join(allowed, ", "))}}, name);
}

}  // namespace

Result<std::optional<std::string>> QueryReader::OneOf(const std::string& name,
                                                      std::initializer_list<const char*> allowed) {
  return CheckOneOf(String(name), name, allowed);
}

Result<std::optional<std::string>> QueryReader::OneOf(const std::string& name, std::span<const std::string> allowed) {
  return CheckOneOf(String(name), name, allowed);
}

Result<int> QueryReader::Int(const std::string& name, int default_value, int min, int max) {
  auto v = String(name, 20);
  if (!v) return std::unexpected(v.error());
  if (!*v) return default_value;
  int n = 0;
  auto [p, ec] = std::from_chars((*v)->data(), (*v)->data() + (*v)->size(), n);
  if (ec != std::errc() || p != (*v)->data() + (*v)->size()) {
    return Failure(Code::kInvalidArgument, "query.not_integer", {{"name", name}, {"value", **v}}, name);
  }
  if (n < min || n > max) {
    return Failure(Code::kInvalidArgument, "query.out_of_range",
                   {{"name", name}, {"min", std::to_string(min)}, {"max", std::to_string(max)}}, name);
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
    if (!seen_.contains(k)) return Failure(Code::kInvalidArgument, "query.unknown", {{"name", k}}, k);
  }
  return Ok();
}

Result<std::int64_t> PathId(const Request& req, const std::string& name) {
  const std::string& v = req.Param(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || p != v.data() + v.size() || id <= 0) {
    return Failure(Code::kInvalidArgument, "path.bad_id", {{"value", v}}, name);
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
  return JsonText(out);
}

std::string JsonText(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sanad::http

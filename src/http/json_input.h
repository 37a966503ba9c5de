// Strict readers for request input. Each error says what is wrong and where (field name, JSON
// position, query parameter); unknown fields and parameters are refused so that a typo is not
// silently ignored.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"

namespace sanad::http {

// Parses a JSON document strictly: duplicate keys, numbers out of the range of a double ("1e999") and
// nesting deeper than 32 levels are refused like syntax errors. Errors: kInvalidArgument with the byte
// position in the message and the JSON pointer of the offending value in `field` ("body" at the top).
Result<nlohmann::json> ParseJson(std::string_view text);

// Parses the body as a JSON object (ParseJson). Errors: kUnsupportedMedia (not application/json),
// kInvalidArgument (empty, malformed, not an object, too deeply nested, duplicate key, overflow).
Result<nlohmann::json> ParseJsonObject(const Request& req);

// Reads fields of a JSON object by name and type, remembering which it saw.
class ObjectReader {
 public:
  explicit ObjectReader(const nlohmann::json& obj, std::string prefix = "") : obj_(obj), prefix_(std::move(prefix)) {}

  Result<std::string> RequiredString(const std::string& name, std::size_t max_len = 1000);
  Result<std::optional<std::string>> OptionalString(const std::string& name, std::size_t max_len = 1000);
  Result<std::vector<std::string>> StringArray(const std::string& name, bool required, std::size_t max_items = 100);
  Result<std::optional<long long>> OptionalInt(const std::string& name, long long min, long long max);
  Result<std::optional<bool>> OptionalBool(const std::string& name);
  // Any finite JSON number within [min, max].
  Result<std::optional<double>> OptionalNumber(const std::string& name, double min, double max);
  // An object member, unread (its own reader checks its fields). Errors: present but not an object.
  Result<const nlohmann::json*> OptionalObject(const std::string& name);
  // An array member of 1 to `max_items` items, unread. Errors: absent, not an array, empty, too long.
  Result<const nlohmann::json*> RequiredArray(const std::string& name, std::size_t max_items);
  // Errors when the object holds a field that was never asked for.
  Status RejectUnknown() const;

 private:
  const nlohmann::json* Get(const std::string& name);
  const nlohmann::json& obj_;
  std::string prefix_;
  std::set<std::string> seen_;
};

// Reads query parameters the same way.
class QueryReader {
 public:
  explicit QueryReader(const Request& req);

  Result<std::optional<std::string>> String(const std::string& name, std::size_t max_len = 200);
  Result<std::optional<std::string>> OneOf(const std::string& name, std::initializer_list<const char*> allowed);
  // The same over a list built at run time (a store's sort keys: db::SortValues).
  Result<std::optional<std::string>> OneOf(const std::string& name, std::span<const std::string> allowed);
  Result<int> Int(const std::string& name, int default_value, int min, int max);
  // YYYY-MM-DD, checked as a calendar date.
  Result<std::optional<std::string>> Date(const std::string& name);
  Status RejectUnknown() const;

 private:
  const Request& req_;
  std::set<std::string> seen_;
};

// A positive integer id from the route pattern (":id"). Errors: kInvalidArgument naming the parameter.
Result<std::int64_t> PathId(const Request& req, const std::string& name = "id");

struct Paging {
  int limit = 100;
  int offset = 0;
};
// limit (1..max_limit, default 100) and offset (0..10,000,000).
Result<Paging> ReadPaging(QueryReader& q, int max_limit = 1000);

// {"items": [...], "total": N, "limit": L, "offset": O}
std::string ListJson(const nlohmann::json& items, long long total, const Paging& paging);

// The JSON text of an answer: compact, with bytes that are not UTF-8 replaced (U+FFFD) instead of the
// exception nlohmann::json's dump throws on them.
std::string JsonText(const nlohmann::json& j);

}  // namespace sanad::http

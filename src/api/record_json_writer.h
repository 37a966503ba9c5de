// Registry records written straight into a response body, byte for byte as dumping PersonJson /
// HouseholdJson (registry_json.h) would write them, without building a JSON tree first.
//
// A page of 100 persons as nlohmann objects is 4,000 map nodes and as many key strings allocated,
// walked and freed: profiled under load, building, dumping and destroying them cost more than reading
// the rows from the database. The writer emits the same members in the same order (nlohmann's objects
// are std::maps, so members come in byte order of their keys) and formats every scalar through
// nlohmann's own serializer, except strings of well-formed UTF-8, which need only the escapes of
// control characters, '"' and '\' (a string that is not well-formed goes through the serializer, which
// then throws or replaces as it would have). registry_json_writer_test compares the two on every field
// type and on hostile strings.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "registry/records.h"

namespace sanad::api {

// A member added to a person next to its own (a search hit's score, where it lives).
struct ExtraMember {
  std::string_view key;
  std::variant<double, std::string_view> value;
};

// A person written once with the places of some extra members left open, to be completed with their
// values later (PersonJsonCache keeps these between requests): the object without the extras and, for
// each open key, the byte offset where its member goes.
struct PersonFragment {
  std::int64_t version = 0;
  std::string json;
  std::vector<std::uint32_t> at;
};

class RecordJsonWriter {
 public:
  // Appends to `out`. `errors` is what the dump being replaced used for ill-formed UTF-8: strict
  // (throws nlohmann::json::type_error) or replace (U+FFFD).
  RecordJsonWriter(std::string& out, nlohmann::json::error_handler_t errors);

  // PersonJson(p) with `extra` merged in (keys sorted, none equal to a person's own key).
  void Person(const registry::PersonRecord& p, std::span<const ExtraMember> extra = {});
  // `p` without extras, with the places of `keys` (sorted, none equal to a person's own key) left open.
  static PersonFragment Fragment(const registry::PersonRecord& p, std::span<const std::string_view> keys);
  // Person(p, extra) from Fragment(p, keys): `extra` holds the members to fill in (keys among `keys`,
  // sorted); an open key without a member is left out. Byte for byte what Person(p, extra) writes.
  void Person(const PersonFragment& f, std::span<const std::string_view> keys, std::span<const ExtraMember> extra);
  // HouseholdJson(h), with "as_of" when given.
  void Household(const registry::HouseholdRecord& h, const std::string* as_of = nullptr);

  // Pieces for the documents around the records.
  void Raw(std::string_view text) { out_ += text; }
  void String(std::string_view s);
  void Integer(long long v);
  void Json(const nlohmann::json& scalar);

 private:
  // `"k":` inside an object, after a comma unless it is the object's first member.
  void Key(bool& first, std::string_view k);
  void Value(const registry::FieldSpec& spec, const std::optional<std::string>& v);
  void ExtraValue(const ExtraMember& e);
  // Person(p, extra); with `at`, the extras' values are not written and `at` receives their places.
  void PersonMembers(const registry::PersonRecord& p, std::span<const ExtraMember> extra,
                     std::vector<std::uint32_t>* at);

  std::string& out_;
  nlohmann::detail::serializer<nlohmann::json> serializer_;
};

}  // namespace sanad::api

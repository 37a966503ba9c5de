// The schema, parameters and batch builder the rule tests share.
#pragma once

#include <string>
#include <vector>

#include "rules/batch.h"
#include "rules/schema.h"

namespace sanad::rules::testing {

inline Schema TestSchema() {
  Schema s;
  s.household["urban"] = {Type::kBool, {}};
  s.household["receives_family_allowance"] = {Type::kBool, {}};
  s.household["socio_economic_index"] = {Type::kDecimal, {}};
  s.household["declared_income"] = {Type::kInt, {}};
  s.household["registered_on"] = {Type::kDate, {}};
  s.household["milieu"] = {Type::kString, {"rural", "urban"}};
  s.member["birth_date"] = {Type::kDate, {}};
  s.member["schooling"] = {
      Type::kString,
      {"not_applicable", "none", "primary", "lower_secondary", "upper_secondary", "higher", "out_of_school"}};
  s.member["disability_percent"] = {Type::kInt, {}};
  s.member["relationship"] = {Type::kString, {"head", "spouse", "child", "other"}};
  s.member["sex"] = {Type::kString, {"F", "M"}};
  s.member["income"] = {Type::kInt, {}};
  s.member["weight"] = {Type::kDecimal, {}};
  s.member["father_deceased"] = {Type::kBool, {}};
  return s;
}

inline Params TestParams() { return {{"p.int", std::int64_t{7}}, {"p.dec", 0.5}, {"asd.flat", std::int64_t{500}}}; }

// Builds a batch column by column; households are appended one at a time with their member count.
class BatchBuilder {
 public:
  BatchBuilder() { batch_.member_offsets.push_back(0); }
  void AddHousehold(std::uint32_t members) {
    ++batch_.households;
    batch_.member_offsets.push_back(batch_.member_offsets.back() + members);
  }
  InputColumn& Household(const std::string& name, Type type) { return Column(batch_.household, name, type); }
  InputColumn& Member(const std::string& name, Type type) { return Column(batch_.member, name, type); }
  Batch& batch() { return batch_; }

 private:
  static InputColumn& Column(std::map<std::string, InputColumn, std::less<>>& cols, const std::string& name,
                             Type type) {
    InputColumn& c = cols[name];
    c.type = type;
    return c;
  }
  Batch batch_;
};

}  // namespace sanad::rules::testing

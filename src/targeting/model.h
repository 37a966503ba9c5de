// The socio-economic index (proxy means test) as a versioned model file: an intercept per area type
// (urban, rural), a fixed effect per region and a list of terms, each a coefficient times a household
// variable (docs/data-formats.md "Score model files", docs/domain.md §1.2). Reading a model validates
// it completely; scoring (score_engine.h) then needs no checks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sanad::targeting {

// The largest magnitude of a model's numbers (intercepts, region effects, coefficients): a million. With
// the registry's bounded variables (registry_model/fields.h) every score is then a finite number; a
// larger one, a typing error such as 1e308, gave scores of ±infinity (or NaN) that eligibility read as the
// poorest households.
inline constexpr double kMaxModelNumber = 1'000'000;

// What kind of value a variable holds, which decides the term shapes it admits.
enum class VariableKind : std::uint8_t {
  kSize,         // household_size and its square: never divided by the size
  kCount,        // a count of members or of units (rooms, livestock); may be per capita
  kAmount,       // a monthly spend in the household's currency; may be per capita or annual per capita
  kQuantity,     // another quantity (land hectares); may be per capita
  kFlag,         // 1 when the household has it, 0 when not or unknown
  kCategorical,  // one of a vocabulary; a term names the category it rewards
};

// The variables a model may use. The order is the order of the batch's columns (score_engine.h).
enum class Variable : std::uint8_t {
  kHouseholdSize,
  kHouseholdSizeSquared,
  kRooms,
  kSpendElectricity,
  kSpendWater,
  kSpendButane,
  kSpendTelephone,
  kLivestockUnits,
  kLandHectares,
  kHasRefrigerator,
  kHasTelevision,
  kHasWashingMachine,
  kHasCar,
  kHasMotorcycle,
  kChildrenUnder15,
  kElderly65Plus,
  kDisabledMembers,
  kChildrenOutOfSchool,
  kMembersHigherEducation,
  kMembersEmployed,
  kDwellingType,
  kTenure,
  kWallMaterial,
  kRoofMaterial,
  kWaterSource,
  kElectricity,
  kSanitation,
};

struct VariableSpec {
  Variable variable;
  std::string_view name;
  VariableKind kind;
  std::span<const std::string_view> categories = {};  // kCategorical only: the vocabulary
};

// Every variable, in Variable order.
std::span<const VariableSpec> Variables();
const VariableSpec& SpecOf(Variable v);
std::optional<Variable> VariableNamed(std::string_view name);
inline constexpr std::size_t kVariableCount = static_cast<std::size_t>(Variable::kSanitation) + 1;

// How a term's value is scaled before the coefficient: as is, divided by the household size, or (for a
// monthly amount) times 12 divided by the size.
enum class Per : std::uint8_t { kHousehold, kCapita, kAnnualCapita };

// Which households a term applies to; the RSU uses different variables in urban and rural areas.
enum class AreaType : std::uint8_t { kBoth, kUrban, kRural };

struct Term {
  Variable variable = Variable::kHouseholdSize;
  double coefficient = 0;
  Per per = Per::kHousehold;
  AreaType area = AreaType::kBoth;
  int category = -1;  // kCategorical: index in the variable's vocabulary; -1 otherwise
  std::string label;  // unique within the model: "spend_electricity", "dwelling_type=villa@urban"
};

struct Model {
  std::string name;
  std::string version;
  std::string description;
  double intercept_urban = 0;
  double intercept_rural = 0;
  std::map<std::string, double, std::less<>> region_effects;  // by region code (MA-03); absent = 0
  std::vector<Term> terms;
  // The file's JSON as read and written again without spaces: what the database keeps of a model version
  // (score_models), from which a score's explanation is computed again when it is shown.
  std::string definition;
};

// Reads and validates a model from its JSON text. Every problem is reported at once
// (reason "score_model.invalid"), each naming its JSON path (/terms/3/coefficient).
Result<Model> ParseModel(std::string_view json_text);
// The same from a file (errors: file.cannot_open, or the above).
Result<Model> LoadModel(const std::string& path);

// The model's regional effects name regions of the reference data (`is_region`, which the caller answers
// from its areas): a code that is none (MA-3 for MA-03) passes the file's own checks, and would leave the
// region it meant without its effect, silently. Every such code is a problem
// (score_model.unknown_region at /region_effects/<code>) of one score_model.invalid error.
Status CheckRegions(const Model& model, const std::function<Result<bool>(const std::string& code)>& is_region);

// The region a commune belongs to, for the region effects: Moroccan area codes are RR.PPP.CC.NN after
// the country prefix (MA-03.231.01.03), so the region is the code up to the first dot (MA-03).
std::string_view RegionOfCommune(std::string_view commune_code);

}  // namespace sanad::targeting

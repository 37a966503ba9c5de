#include "empowerment/tracking_code.h"

#include "core/tracking_code.h"

namespace sanad::empowerment {
namespace {

constexpr std::size_t kLength = 16;

}  // namespace

std::string NewTrackingCode() { return core::GroupCode(core::RandomCode(kLength)); }

std::optional<std::string> NormaliseTrackingCode(std::string_view typed) {
  auto bare = core::NormaliseCode(typed, kLength);
  if (!bare) return std::nullopt;
  return core::GroupCode(*bare);
}

std::string TrackingCodeHash(const std::string& canonical) { return core::CodeHash(canonical); }

}  // namespace sanad::empowerment

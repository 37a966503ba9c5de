// Distinct id types so that a UserId cannot be passed where an AuditEntryId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace sanad {

template <typename Tag>
struct Id {
  std::int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value(v) {}
  auto operator<=>(const Id&) const = default;
  constexpr bool valid() const { return value > 0; }
};

using UserId = Id<struct UserTag>;
using AuditEntryId = Id<struct AuditEntryTag>;

}  // namespace sanad

template <typename Tag>
struct std::hash<sanad::Id<Tag>> {
  std::size_t operator()(const sanad::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};

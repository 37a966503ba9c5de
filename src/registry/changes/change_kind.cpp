#include "registry/changes/change_kind.h"

#include <array>

#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

const std::array<const KindOps*, kChangeKindCount>& Table() {
  static const std::array<const KindOps*, kChangeKindCount> table = [] {
    std::array<const KindOps*, kChangeKindCount> t{};
    for (const KindOps* ops :
         {&CreateHouseholdKind(), &UpdateHouseholdKind(), &UpdatePersonKind(), &AddMemberKind(), &RemoveMemberKind(),
          &MoveMemberKind(), &ChangeHeadKind(), &SplitHouseholdKind(), &MergeHouseholdsKind(), &MergePersonsKind(),
          &ExitHouseholdKind(), &ImportHouseholdsKind(), &ImportPersonsKind(), &ImportHouseholdsWithMembersKind()}) {
      t[static_cast<std::size_t>(ops->kind)] = ops;
    }
    return t;
  }();
  return table;
}

}  // namespace

const KindOps& OpsOf(ChangeKind kind) { return *Table()[static_cast<std::size_t>(kind)]; }

std::optional<ChangeKind> ParseChangeKind(std::string_view name) {
  for (const KindOps* ops : Table()) {
    if (ops->name == name) return ops->kind;
  }
  return std::nullopt;
}

std::string_view ChangeKindName(ChangeKind kind) { return OpsOf(kind).name; }

}  // namespace sanad::registry

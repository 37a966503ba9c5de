#include "programs/programme_catalogue.h"

#include <algorithm>

#include "programs/programme_check.h"
#include "programs/templates.h"

namespace sanad::programs {
namespace {

std::unexpected<Error> NotFound(std::string_view code) {
  return Failure(Code::kNotFound, "program.not_found", {{"code", std::string(code)}}, "code");
}

}  // namespace

Result<StoredProgramme> ProgrammeCatalogue::Get(std::string_view code) {
  auto stored = store_.Find(code);
  if (!stored) return std::unexpected(stored.error());
  const Programme* builtin = FindBuiltin(code);
  if (*stored) {
    (*stored)->builtin = builtin != nullptr;
    return std::move(**stored);
  }
  if (builtin == nullptr) return NotFound(code);
  StoredProgramme out;
  out.programme = *builtin;
  out.builtin = true;
  return out;
}

Result<Programme> ProgrammeCatalogue::Find(std::string_view code) {
  auto p = Get(code);
  if (!p) return std::unexpected(p.error());
  return std::move(p->programme);
}

Result<std::vector<StoredProgramme>> ProgrammeCatalogue::List() {
  auto stored = store_.All();
  if (!stored) return std::unexpected(stored.error());
  std::vector<StoredProgramme> out;
  for (const auto& t : BuiltinProgrammes()) {
    auto it = std::find_if(stored->begin(), stored->end(), [&](const auto& s) { return s.programme.code == t.code; });
    if (it != stored->end()) {
      out.push_back(std::move(*it));
      stored->erase(it);
    } else {
      out.push_back({t, 0, {}, {}});
    }
    out.back().builtin = true;
  }
  for (auto& s : *stored) out.push_back(std::move(s));
  return out;
}

Status ProgrammeCatalogue::Validate(const Programme& p) {
  auto all = List();
  if (!all) return std::unexpected(all.error());
  std::vector<std::string> others;
  for (const auto& s : *all) {
    if (s.programme.code != p.code) others.push_back(s.programme.code);
  }
  return ValidateProgramme(p, others);
}

Result<StoredProgramme> ProgrammeCatalogue::Create(const Programme& p, const Author& author, const AlsoInSave& also) {
  if (FindBuiltin(p.code) != nullptr) {
    return Failure(Code::kAlreadyExists, "program.already_exists", {{"code", p.code}}, "code");
  }
  if (auto st = Validate(p); !st) return std::unexpected(st.error());
  auto saved = store_.Save(p, 0, author, FormatTimestamp(clock_.Now()), also);
  if (!saved && (saved.error().code == Code::kConflict || saved.error().code == Code::kAlreadyExists)) {
    return Failure(Code::kAlreadyExists, "program.already_exists", {{"code", p.code}}, "code");
  }
  return saved;
}

Result<StoredProgramme> ProgrammeCatalogue::Update(const Programme& p, std::int64_t expected_version,
                                                   const Author& author, const AlsoInSave& also) {
  auto current = Get(p.code);
  if (!current) return std::unexpected(current.error());
  if (auto st = Validate(p); !st) return std::unexpected(st.error());
  auto saved = store_.Save(p, expected_version, author, FormatTimestamp(clock_.Now()), also);
  if (!saved && saved.error().code == Code::kAlreadyExists) {
    // Two first saves of a template at once: the other one won.
    return Failure(Code::kConflict, "program.stale_version",
                   {{"code", p.code}, {"version", std::to_string(expected_version)}, {"current", "1"}}, "version");
  }
  if (saved) saved->builtin = current->builtin;
  return saved;
}

Result<std::vector<ProgrammeVersion>> ProgrammeCatalogue::History(std::string_view code) {
  auto current = Get(code);
  if (!current) return std::unexpected(current.error());
  return store_.History(code);
}

}  // namespace sanad::programs

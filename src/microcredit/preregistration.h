// A citizen's public pre-registration for a micro-credit (issue 12 §2, docs/microcredit.md
// "Pre-registration"): the form read with the registry's value rules (names, NIN, phone, dates), the
// eligibility preview computed at once (age on the day, the product's ceiling for the wilaya) and shown
// as reasons, and the public status that follows the application the officer converts it into. Rules
// here; SQL in MicrocreditStore (preregistration_store.cpp); the conversion uses Lifecycle::Apply.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "microcredit/lifecycle.h"
#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {

// Length of a pre-registration's tracking code (core/tracking_code.h: 5 bits a character, 80 bits).
inline constexpr std::size_t kPreRegistrationCodeChars = 16;

// The public form. Every invalid field is one problem (kFailedPrecondition
// "microcredit.preregistration_invalid", 422). `wilaya_of_commune` answers the wilaya of a commune on
// today, nullopt when the code is no commune that day.
Result<PreRegistration> ReadPreRegistration(
    const nlohmann::json& body, const std::string& today,
    const std::function<std::optional<std::string>(const std::string&)>& wilaya_of_commune);

// The eligibility preview (domain.md §2.1, decree 04-15 / 19-137) on `today`: aged 18 or over, and the
// estimated cost within the product's ceiling for the wilaya (PNR: 100,000 DA, 250,000 DA in the
// southern wilayas; triangular: a project of at most 1,000,000 DA). The registry, the benefit ledger and
// earlier loans are checked when the officer converts it (Lifecycle::Apply), not on the public form.
std::vector<ReasonRow> PreviewEligibility(const PreRegistration& p, const Date& today);

// What the citizen sees: received, rejected, or the converted application's state.
std::string PublicStatus(const PreRegistration& p);

// The registry record an officer converts it for must be the same person (national id, or names and
// birth date through the record-linkage comparisons of same_person.h).
PersonForMatch AsPersonForMatch(const PreRegistration& p);

class PreRegistrations {
 public:
  PreRegistrations(MicrocreditStore& store, Lifecycle& life) : store_(store), life_(life) {}

  struct Registered {
    PreRegistration pre;
    std::string tracking_code;  // grouped XXXX-XXXX-XXXX-XXXX, shown once
  };
  Result<Registered> Register(const nlohmann::json& body, const std::string& now, const std::string& today);
  // Errors: kNotFound "microcredit.tracking_code_unknown" (also for a malformed code).
  Result<PreRegistration> ByCode(const std::string& typed);
  // Converts a received pre-registration of the officer's scope into an application for the registry
  // person `person_id` (the existing application path: registry, ledger, earlier loans by linkage,
  // quotas). Errors: not found / not received (409) / not the same person (422) / those of Apply.
  Result<PreRegistration> Convert(std::int64_t id, std::int64_t person_id, bool training_required, const Actor& who);
  Result<PreRegistration> Reject(std::int64_t id, const std::string& reason, const Actor& who);

 private:
  MicrocreditStore& store_;
  Lifecycle& life_;
};

}  // namespace sanad::microcredit

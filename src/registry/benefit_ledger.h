// The benefit ledger: one record of every aid delivered to a person or a household — cash, in kind or
// a service — by any programme. Payments, micro-credit and case management write here through Record;
// the (source, reference) pair makes recording idempotent (a payment file imported twice is refused).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/time.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"

namespace sanad::registry {

struct BenefitInput {
  std::optional<std::int64_t> person_id;
  std::optional<std::int64_t> household_id;
  std::string programme;                     // e.g. ASD, AMO_TADAMON, AFS, ANGEM, RAMADAN
  std::string kind;                          // cash | in_kind | service
  std::string date;                          // YYYY-MM-DD
  std::optional<std::int64_t> amount_minor;  // cash, in centimes/santimes
  std::optional<std::string> currency;       // MAD | DZD (cash)
  std::optional<double> quantity;            // in kind / service
  std::optional<std::string> unit;           // e.g. kg, basket, session
  std::string reference;
  std::string source;  // module writing the line: payments, inclusion, cases, manual
};

class BenefitLedger {
 public:
  BenefitLedger(RegistryStore& store, audit::AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Errors: kInvalidArgument (field named), kNotFound (beneficiary outside scope), kAlreadyExists
  // (same source and reference).
  Result<BenefitRow> Record(const BenefitInput& in, const Actor& who);

 private:
  RegistryStore& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace sanad::registry

// The registration service: reads a registration (registration.h), runs the duplicate check
// (linkage/identity_match.h) over the store's blocking candidates and the registry's name index, and stores
// the file with what the check found. One path for the public form, partner systems and completions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "empowerment/registration_store.h"

namespace sanad::empowerment {

// What her status page shows: no personal data, only the state of her file and the public notes.
struct StatusView {
  std::string status;
  std::string kind;
  std::vector<std::string> missing;  // MissingForCompletion
  std::vector<Note> public_notes;
  std::string created_at, updated_at;
  std::optional<std::string> completed_at;
};

struct Registered {
  std::int64_t id = 0;
  std::string tracking_code;
  StatusView status;
  std::size_t probable_duplicates = 0;
  bool linked_to_person = false;
};

class RegistrationService {
 public:
  // Registry persons whose name is close to `name` (the fuzzy name index, national); may be empty.
  using NameHits = std::function<Result<std::vector<std::int64_t>>(const std::string& name)>;
  RegistrationService(RegistrationStore& store, NameHits name_hits) : store_(store), name_hits_(std::move(name_hits)) {}

  // A new registration from the public form. Errors: ReadRegistration's (422 naming every field).
  Result<Registered> Register(const nlohmann::json& body, const std::string& now, const std::string& today);
  // Her file completed or corrected by tracking code: the fields of `patch` replace the stored ones and
  // the whole file is read again. Errors: kNotFound (unknown code), ReadRegistration's, kConflict.
  Result<StatusView> Complete(const std::string& typed_code, const nlohmann::json& patch, const std::string& now,
                              const std::string& today);
  // Errors: kNotFound (unknown or malformed code: the same answer, so codes cannot be probed by form).
  Result<StatusView> StatusOf(const std::string& typed_code);

  // The duplicate check of `r` (registration `self` excluded; 0 for a new one).
  Result<Findings> Check(const Registration& r, std::int64_t self);

 private:
  Result<StoredRegistration> FindByCode(const std::string& typed_code);
  Result<StatusView> ViewOf(const StoredRegistration& stored);

  RegistrationStore& store_;
  NameHits name_hits_;
};

}  // namespace sanad::empowerment

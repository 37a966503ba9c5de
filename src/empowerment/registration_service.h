// The registration service: reads a registration (registration.h), runs the duplicate check
// (linkage/identity_match.h) over the store's blocking candidates and the registry's name index, and stores
// the file with what the check found. One path for the public form, partner systems and completions.
//
// New registrations are group-committed (core/batch_writer.h): request threads read and check, one writer
// thread stores everything queued so far in one transaction. A check reads what was committed up to its
// `seen` mark; the batch's transaction looks again at the registrations above that mark (committed since,
// or earlier in the same batch) before each insert, so two registrations of the same woman are found as
// duplicates however close together they arrive.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/batch_writer.h"
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
  // What the batch stored of one registration.
  struct Stored {
    std::int64_t id = 0;
    std::size_t probable_duplicates = 0;  // after the batch's second look
  };
  using Intake = core::BatchWriter<NewRegistration, Stored>;

  RegistrationService(RegistrationStore& store, NameHits name_hits)
      : store_(store),
        name_hits_(std::move(name_hits)),
        intake_([this](std::vector<NewRegistration>& batch) { return WriteBatch(batch); }) {}

  // A new registration from the public form, returned once it is durable. Errors: ReadRegistration's
  // (422 naming every field), the database's.
  Result<Registered> Register(const nlohmann::json& body, const std::string& now, const std::string& today);
  // The same without waiting for the commit: returns the tracking code at once (nothing is stored yet:
  // `id` is 0) and calls `stored` on the writer thread once the registration is durable or its batch
  // failed. The caller must not give the code to anyone before `stored` says it is stored. Errors
  // returned directly (nothing queued): Register's.
  Result<Registered> RegisterAsync(const nlohmann::json& body, const std::string& now, const std::string& today,
                                   Intake::Done stored);

  // The two halves of Register, public for the tests of the batch's second look: reads and checks a
  // registration (its `seen` mark taken before the check's reads), and stores a batch in one transaction.
  Result<std::pair<NewRegistration, Registered>> Prepare(const nlohmann::json& body, const std::string& now,
                                                         const std::string& today);
  Result<std::vector<Stored>> WriteBatch(std::vector<NewRegistration>& batch);
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
  Intake intake_;  // last: its writer thread stops (writing what is queued) before the rest goes
};

}  // namespace sanad::empowerment

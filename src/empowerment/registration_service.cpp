#include "empowerment/registration_service.h"

#include <algorithm>

#include "empowerment/tracking_code.h"
#include "linkage/identity_match.h"
#include "text/cross_script.h"

namespace sanad::empowerment {
namespace {

Identity IdentityOf(const Registration& r) {
  Identity p;
  p.given_ar = r.given_name_ar.value_or("");
  p.family_ar = r.family_name_ar.value_or("");
  p.given_lat = r.given_name_lat.value_or("");
  p.family_lat = r.family_name_lat.value_or("");
  p.birth_date = r.birth_date;
  p.commune_code = r.commune_code;
  p.national_id = r.national_id.value_or("");
  p.phone = r.phone;
  return p;
}

std::string StatusOfFile(const Registration& r) { return MissingForCompletion(r).empty() ? "complete" : "incomplete"; }

auto Unknown() { return Failure(Code::kNotFound, "empowerment.tracking_code_unknown", {}, "tracking_code"); }

}  // namespace

Result<Findings> RegistrationService::Check(const Registration& r, std::int64_t self) {
  Findings f;
  f.status = StatusOfFile(r);
  const std::string given = r.given_name_ar ? *r.given_name_ar : r.given_name_lat.value_or("");
  const std::string family = r.family_name_ar ? *r.family_name_ar : r.family_name_lat.value_or("");
  f.given_key = text::CrossScriptKey(given);
  f.family_key = text::CrossScriptKey(family);
  const Identity probe = IdentityOf(r);
  auto registrations = store_.RegistrationCandidates(probe, f.given_key, f.family_key, self);
  if (!registrations) return std::unexpected(registrations.error());
  f.duplicates = linkage::ScoreCandidates(probe, *registrations);
  std::vector<std::int64_t> hits;
  if (name_hits_) {
    // The name index may be loading (start-up) or rebuilding: the id and phone candidates still run,
    // and a registration is never refused for it.
    if (auto found = name_hits_(given + " " + family)) hits = std::move(*found);
  }
  auto persons = store_.PersonCandidates(probe, hits);
  if (!persons) return std::unexpected(persons.error());
  for (const auto& m : linkage::ScoreCandidates(probe, *persons)) {
    // Linked only when the given names agree too: a sister sharing her family name, birth date and the
    // household's phone is a different woman however strong the rest.
    if (m.probability >= linkage::kSamePerson && m.same_given_name) {
      f.person = m;
      break;
    }
  }
  return f;
}

Result<std::pair<NewRegistration, Registered>> RegistrationService::Prepare(const nlohmann::json& body,
                                                                            const std::string& now,
                                                                            const std::string& today) {
  auto commune_exists = [&](const std::string& code) {
    auto e = store_.CommuneExists(code, today);
    return e && *e;
  };
  auto r = ReadRegistration(body, today, commune_exists);
  if (!r) return std::unexpected(r.error());
  // The mark first, then the check's reads: whatever the check could not see lies above the mark.
  auto seen = store_.LastRegistrationId();
  if (!seen) return std::unexpected(seen.error());
  auto f = Check(*r, 0);
  if (!f) return std::unexpected(f.error());
  Registered out;
  out.tracking_code = NewTrackingCode();
  out.probable_duplicates = f->duplicates.size();
  out.linked_to_person = f->person.has_value();
  out.status = StatusView{f->status,
                          r->kind,
                          MissingForCompletion(*r),
                          {},
                          now,
                          now,
                          f->status == "complete" ? std::optional<std::string>(now) : std::nullopt};
  Identity probe = IdentityOf(*r);
  NewRegistration item{std::move(*r), std::move(probe), TrackingCodeHash(out.tracking_code), std::move(*f), now, *seen};
  return std::pair{std::move(item), std::move(out)};
}

Result<std::vector<RegistrationService::Stored>> RegistrationService::WriteBatch(std::vector<NewRegistration>& batch) {
  auto recheck = [](NewRegistration& item, const std::vector<Identity>& later) {
    auto& found = item.findings.duplicates;
    for (const auto& m : linkage::ScoreCandidates(item.probe, later)) {
      // The check may have seen a registration committed while it read: counted once.
      if (std::none_of(found.begin(), found.end(), [&](const Match& f) { return f.id == m.id; })) found.push_back(m);
    }
  };
  auto ids = store_.InsertBatch(batch, recheck);
  if (!ids) return std::unexpected(ids.error());
  std::vector<Stored> out;
  out.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) out.push_back({(*ids)[i], batch[i].findings.duplicates.size()});
  return out;
}

Result<Registered> RegistrationService::Register(const nlohmann::json& body, const std::string& now,
                                                 const std::string& today) {
  auto prepared = Prepare(body, now, today);
  if (!prepared) return std::unexpected(prepared.error());
  auto stored = intake_.Submit(std::move(prepared->first));
  if (!stored) return std::unexpected(stored.error());
  Registered out = std::move(prepared->second);
  out.id = stored->id;
  out.probable_duplicates = stored->probable_duplicates;
  return out;
}

Result<Registered> RegistrationService::RegisterAsync(const nlohmann::json& body, const std::string& now,
                                                      const std::string& today, Intake::Done stored) {
  auto prepared = Prepare(body, now, today);
  if (!prepared) return std::unexpected(prepared.error());
  intake_.SubmitAsync(std::move(prepared->first), std::move(stored));
  return std::move(prepared->second);
}

Result<StoredRegistration> RegistrationService::FindByCode(const std::string& typed_code) {
  const auto code = NormaliseTrackingCode(typed_code);
  if (!code) return Unknown();
  auto stored = store_.FindByCode(TrackingCodeHash(*code));
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return Unknown();
  return std::move(**stored);
}

Result<StatusView> RegistrationService::ViewOf(const StoredRegistration& s) {
  auto notes = store_.Notes(s.id, /*public_only=*/true);
  if (!notes) return std::unexpected(notes.error());
  return StatusView{s.status,          s.registration.kind, MissingForCompletion(s.registration),
                    std::move(*notes), s.created_at,        s.updated_at,
                    s.completed_at};
}

Result<StatusView> RegistrationService::Complete(const std::string& typed_code, const nlohmann::json& patch,
                                                 const std::string& now, const std::string& today) {
  auto stored = FindByCode(typed_code);
  if (!stored) return std::unexpected(stored.error());
  if (!patch.is_object()) {
    return Failures(Code::kFailedPrecondition, "empowerment.registration_invalid",
                    {{std::string(MsgCode("field.not_object")), "body", {{"field", "body"}}, ""}});
  }
  nlohmann::json merged = RegistrationJson(stored->registration);
  for (const auto& [k, v] : patch.items()) merged[k] = v;
  auto commune_exists = [&](const std::string& code) {
    auto e = store_.CommuneExists(code, today);
    return e && *e;
  };
  auto r = ReadRegistration(merged, today, commune_exists);
  if (!r) return std::unexpected(r.error());
  auto f = Check(*r, stored->id);
  if (!f) return std::unexpected(f.error());
  if (auto st = store_.Update(stored->id, stored->version, *r, *f, now); !st) return std::unexpected(st.error());
  auto again = FindByCode(typed_code);
  if (!again) return std::unexpected(again.error());
  return ViewOf(*again);
}

Result<StatusView> RegistrationService::StatusOf(const std::string& typed_code) {
  auto stored = FindByCode(typed_code);
  if (!stored) return std::unexpected(stored.error());
  return ViewOf(*stored);
}

}  // namespace sanad::empowerment

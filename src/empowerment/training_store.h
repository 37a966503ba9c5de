// SQL of the trainings (migration 0034): sessions in the reader's area scope, enrolments with the
// check-and-take of a seat under the session's lock (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write
// transaction is BEGIN IMMEDIATE), the waiting list, attendance per session day with the completion
// rule, certificates reached by the hash of their code, and the completion query the funding side uses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/registration_store.h"
#include "empowerment/training.h"

namespace sanad::empowerment {

struct TrainingRow {
  std::int64_t id = 0;
  Training training;
  std::string created_at, created_by;
  long long registered = 0, waiting = 0, completed = 0;  // completed women hold their seat too
};

struct EnrolmentRow {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  std::string status;  // registered | waiting | cancelled | completed
  std::string enrolled_at;
  std::optional<std::string> cancelled_at, completed_on;
  std::string given_name, family_name;       // Arabic when she wrote it so, else Latin
  std::map<std::string, std::string> marks;  // day → present | absent | excused
};

// A woman's place in a session, for her file (no one else's data).
struct HerTraining {
  std::int64_t training_id = 0;
  std::string topic, title_ar, title_fr, starts_at, ends_at, status;
  std::optional<std::string> completed_on;
  long long days_present = 0;
  long long certificates = 0;  // copies issued
};

struct TrainingFilter {
  std::optional<std::string> from, to;  // session start days (YYYY-MM-DD), both included
  std::optional<std::string> topic;
};

struct AttendanceMark {
  std::int64_t registration_id = 0;
  std::string mark;
};

// What a certificate prints and the public check shows.
struct CertificateSubject {
  std::int64_t enrolment_id = 0;
  std::string status;
  std::optional<std::string> completed_on;
  std::optional<std::string> given_ar, family_ar, given_lat, family_lat;
  TrainingRow training;
};

struct PublicCertificate {
  std::string topic, title_ar, title_fr;
  std::optional<std::string> title_en;
  std::string first_day, last_day, completed_on, issued_at, initials;
};

class TrainingStore {
 public:
  explicit TrainingStore(db::Database& db) : db_(db) {}

  // Errors: 422 field.not_a_commune (not a commune on the day, or outside the writer's area), 422
  // empowerment.trainer_unknown (trainers[i].username names no active account).
  Result<std::int64_t> Create(const Training& t, const ReadScope& scope, const std::string& now, const std::string& by);
  Result<std::vector<TrainingRow>> List(const ReadScope& scope, const TrainingFilter& filter);
  // nullopt also when the session lies outside `scope`.
  Result<std::optional<TrainingRow>> Get(std::int64_t id, const ReadScope& scope);
  // Every enrolment of a session in scope, with her name and attendance, in order of enrolment.
  Result<std::vector<EnrolmentRow>> Enrolments(std::int64_t id, const ReadScope& scope);

  // Takes a seat for the woman when one is left, else puts her on the waiting list; returns her status.
  // A cancelled enrolment is taken up again. Errors: 404 (session or woman outside scope), 409
  // empowerment.already_enrolled.
  Result<std::string> Enrol(std::int64_t training_id, std::int64_t registration_id, const ReadScope& scope,
                            const std::string& now, const std::string& by);
  // Cancels her enrolment; a seat she held goes to the first woman waiting. Returns the registration id
  // promoted, if any. Errors: 404 (not enrolled, or outside scope).
  Result<std::optional<std::int64_t>> Cancel(std::int64_t training_id, std::int64_t registration_id,
                                             const ReadScope& scope, const std::string& now);
  // Records one day's marks (replacing earlier marks of that day for those women) and applies the
  // completion rule to each. All or nothing. Errors: 404, 422 empowerment.not_a_session_day (day),
  // 422 empowerment.not_enrolled (marks[i].registration_id: not holding a seat).
  Status RecordAttendance(std::int64_t training_id, const ReadScope& scope, const std::string& day,
                          const std::vector<AttendanceMark>& marks, const std::string& now, const std::string& by);

  // The woman's enrolment in a session in scope, for her certificate. nullopt: none (or outside scope).
  Result<std::optional<CertificateSubject>> Subject(std::int64_t training_id, std::int64_t registration_id,
                                                    const ReadScope& scope);
  Status AddCertificate(std::int64_t enrolment_id, const std::string& code_hash, const std::string& lang,
                        const std::string& now, const std::string& by);
  Result<std::optional<PublicCertificate>> FindCertificate(const std::string& code_hash);

  // For the funding side (tranche release or eligibility): whether she completed a session of `topic`
  // on or before `day` (YYYY-MM-DD). Not scoped: the caller has already read her file within its scope.
  Result<bool> HasCompletedTraining(std::int64_t registration_id, const std::string& topic, const std::string& day);

  // Her sessions, newest first, for her staff file. Not scoped: the caller has read her file in scope.
  Result<std::vector<HerTraining>> OfRegistration(std::int64_t registration_id);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment

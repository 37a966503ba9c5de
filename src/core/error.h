// Expected failures as values: every module returns Result<T> = std::expected<T, Error>.
// Codes follow Abseil's canonical codes; the HTTP layer maps them to statuses in one place.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sanad {

enum class Code {
  kInvalidArgument,     // 400: the input is malformed (wrong type, bad format, unknown field)
  kUnauthenticated,     // 401: no or bad credentials
  kPermissionDenied,    // 403: authenticated but not allowed
  kNotFound,            // 404
  kMethodNotAllowed,    // 405
  kAlreadyExists,       // 409
  kConflict,            // 409: concurrent or conflicting change
  kPayloadTooLarge,     // 413
  kUnsupportedMedia,    // 415
  kFailedPrecondition,  // 422: well-formed but breaks a business rule
  kResourceExhausted,   // 429: throttled
  kUnavailable,         // 503
  kInternal,            // 500: a bug or an unexpected library failure
};

// Short machine-readable name of a code, e.g. "invalid_argument".
std::string_view CodeName(Code code);

// Named values a message code is rendered with, in order: {"value", "2030-01-01"}.
using MessageParams = std::vector<std::pair<std::string, std::string>>;

// One problem among several (a form or an import row with many errors): the same code/field/params
// shape as Error itself, so clients render each from the same catalogue.
struct Problem {
  std::string reason;
  std::string field;
  MessageParams params;
  std::string message;  // optional English text when the reason has no catalogue entry

  bool operator==(const Problem&) const = default;
};

struct Error {
  Code code = Code::kInternal;
  // Human-readable text. When `reason` names a catalogue entry the text shown to a user is rendered
  // from the catalogue in their language (i18n module) and this is only a fallback.
  std::string message;
  std::string field;            // where: field name, "row 12, column birth_date", JSON pointer… (may be empty)
  int retry_after_seconds = 0;  // kResourceExhausted and kUnavailable: the Retry-After header
  // Stable machine-readable message code, e.g. "household.two_heads" (may be empty): clients key on it,
  // never on the text; it is the key of the message catalogues (src/i18n/messages/*.json).
  std::string reason;
  MessageParams params;           // the values the catalogue text is rendered with
  std::vector<Problem> problems;  // every problem at once, when there are several (forms, import rows)

  bool operator==(const Error&) const = default;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Code code, std::string message, std::string field = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(field), 0});
}

// A failure with a stable reason code (see Error::reason).
inline std::unexpected<Error> FailWith(Code code, std::string reason, std::string message, std::string field = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(field), 0, std::move(reason)});
}

// A failure identified by a catalogue code and its parameters; the text comes from the catalogue in
// the reader's language: Failure(Code::kInvalidArgument, "field.in_future", {{"value", d}}, "birth_date").
inline std::unexpected<Error> Failure(Code code, std::string reason, MessageParams params = {},
                                      std::string field = {}) {
  Error e{code, {}, std::move(field), 0, std::move(reason)};
  e.params = std::move(params);
  return std::unexpected<Error>(std::move(e));
}

// A catalogue failure that keeps an English text for the places that print `message` (the command line,
// logs): WithText(Failure(Code::kNotFound, "file.cannot_open", {{"file", p}}, "file"), "cannot open …").
inline std::unexpected<Error> WithText(std::unexpected<Error> failure, std::string message) {
  failure.error().message = std::move(message);
  return failure;
}

// Several problems reported together; the error's own code is `reason` (e.g. "form.invalid").
inline std::unexpected<Error> Failures(Code code, std::string reason, std::vector<Problem> problems) {
  Error e{code, {}, {}, 0, std::move(reason)};
  e.problems = std::move(problems);
  return std::unexpected<Error>(std::move(e));
}

inline Status Ok() { return {}; }

// Marks a string literal as a message-catalogue code (a change-request summary kind, a job stage…) so
// the catalogue test finds it in the sources and fails when ar, fr or en has no text for it.
constexpr std::string_view MsgCode(std::string_view code) { return code; }

}  // namespace sanad

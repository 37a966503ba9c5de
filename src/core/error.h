// Expected failures as values: every module returns Result<T> = std::expected<T, Error>.
// Codes follow Abseil's canonical codes; the HTTP layer maps them to statuses in one place.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

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

struct Error {
  Code code = Code::kInternal;
  std::string message;          // human-readable: what is wrong
  std::string field;            // where: field name, "row 12, column birth_date", JSON pointer… (may be empty)
  int retry_after_seconds = 0;  // kResourceExhausted and kUnavailable: the Retry-After header
  // Stable machine-readable reason, e.g. "household.two_heads" (may be empty): clients key on it,
  // never on the English message.
  std::string reason;

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

inline Status Ok() { return {}; }

}  // namespace sanad

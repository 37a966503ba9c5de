// Transport-independent request and response. Only server.cpp knows RESTinio; everything else
// (middleware, route handlers, tests) works on these plain types.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/user.h"
#include "core/error.h"
#include "i18n/language.h"

namespace sanad::http {

// What a response waits for before it is sent: the audit entries of a personal read must be durable
// first (fail-closed), and a request thread should not sit idle meanwhile. A handler registers each
// completion with Add; the pipeline sends the response from whichever thread completes the last one.
//
// Thread safety: all methods may be called from any thread.
class Deferred : public std::enable_shared_from_this<Deferred> {
 public:
  // One more completion to wait for; call the returned function exactly once, from any thread, with
  // Ok() or the error that must replace the response.
  std::function<void(Status)> Add();
  // Runs `then` once every completion added so far has come, with the first error if any; runs it at
  // once (on this thread) when none is pending. Called once, after the handler has returned.
  void Then(std::function<void(Status)> then);

 private:
  void Complete(Status s);
  std::mutex mu_;
  int pending_ = 0;
  Status status_ = Ok();
  std::function<void(Status)> then_;
};

struct Request {
  std::string method;                                      // GET, POST, …
  std::string path;                                        // decoded path without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> params;               // from the route pattern (:code)
  std::map<std::string, std::string> headers;              // names lower-cased
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::optional<auth::Principal> principal;  // set by the auth middleware
  // On a public route: the holder of a valid credential, if one came. The route still acts as for anyone
  // (principal stays empty: nothing is done or recorded in the viewer's name); it may only show staff what
  // citizens do not see (programmes not offered publicly).
  std::optional<auth::Principal> viewer;
  // Set by the pipeline before the handler runs; null when a handler is called without one (then
  // whatever must happen before the response happens synchronously).
  std::shared_ptr<Deferred> deferred;

  const std::string* Header(std::string_view lower_name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  const std::string& Param(const std::string& name) const { return params.at(name); }
};

// Sends one piece of a streamed body; returns when the transport has written it (so a producer never
// runs ahead of a slow client). Errors: kUnavailable when the client went away.
using BodyWriter = std::function<Status(std::string_view chunk)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A body produced while it is sent (chunked transfer), for exports of any size; `body` is then
  // ignored. Called once, after the status and headers are final. When it fails part-way the response
  // is left unfinished (the client sees a truncated transfer, never a complete-looking file) and the
  // error goes to the log with the request id.
  std::function<Status(const BodyWriter& write)> stream;
  // Set by ErrorResponse, which leaves `body` empty: the pipeline (Pipeline::Finish) renders the body
  // once, in the language the client asked for (Accept-Language), so handlers never deal with languages.
  std::optional<Error> error;

  Response& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

int HttpStatus(Code code);

// The language the client reads (Accept-Language); English when it names none of ours. Responses that
// carry rendered texts say so with Content-Language and Vary: Accept-Language (SayLanguage).
i18n::Lang RequestLang(const Request& req);
void SayLanguage(Response& resp, i18n::Lang lang);
// An error response: the mapped status (and Retry-After for 429/503) and the error, whose body
// {"error":{"code":…,"reason":…,"params":{…},"field":…,"message":…,"problems":[…]}} the pipeline renders
// in the client's language. "code" is the status class (invalid_argument…), "reason" the catalogue code.
Response ErrorResponse(const Error& e);
// The error document in `lang`; `request_id` is included when not empty.
std::string ErrorBody(const Error& e, i18n::Lang lang, std::string_view request_id = {});
Response JsonResponse(int status, std::string json_text);

// JSON string escaping for hand-built documents (access log, small responses).
std::string JsonEscape(std::string_view s);

}  // namespace sanad::http

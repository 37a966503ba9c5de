#include "http/message.h"

#include "core/json_escape.h"
#include "i18n/catalogue.h"

#include <fmt/format.h>

namespace sanad::http {

std::function<void(Status)> Deferred::Add() {
  {
    std::lock_guard lock(mu_);
    ++pending_;
  }
  return [self = shared_from_this()](Status s) { self->Complete(std::move(s)); };
}

void Deferred::Complete(Status s) {
  std::function<void(Status)> then;
  Status result = Ok();
  {
    std::lock_guard lock(mu_);
    if (!s && status_) status_ = std::move(s);
    if (--pending_ > 0 || !then_) return;
    then = std::move(then_);  // also breaks the cycle request → deferred → continuation → request
    then_ = nullptr;
    result = status_;
  }
  then(std::move(result));
}

void Deferred::Then(std::function<void(Status)> then) {
  Status result = Ok();
  {
    std::lock_guard lock(mu_);
    if (pending_ > 0) {
      then_ = std::move(then);
      return;
    }
    result = status_;
  }
  then(std::move(result));
}

const std::string* Request::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? nullptr : &it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  const std::string* h = Header("cookie");
  if (!h) return std::nullopt;
  std::string_view rest = *h;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return std::nullopt;
}

int HttpStatus(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kMethodNotAllowed:
      return 405;
    case Code::kAlreadyExists:
      return 409;
    case Code::kConflict:
      return 409;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kUnsupportedMedia:
      return 415;
    case Code::kFailedPrecondition:
      return 422;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

// Invalid UTF-8 (a raw path, a query parameter's name echoed in a message) becomes U+FFFD so that the
// document stays valid JSON.
std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendJsonEscaped(out, s, true);
  return out;
}

namespace {

void AppendParams(std::string& out, const MessageParams& params) {
  out += R"(,"params":{)";
  for (size_t i = 0; i < params.size(); ++i) {
    out += fmt::format(R"({}"{}":"{}")", i ? "," : "", JsonEscape(params[i].first), JsonEscape(params[i].second));
  }
  out += '}';
}

}  // namespace

std::string ErrorBody(const Error& e, i18n::Lang lang, std::string_view request_id) {
  // "field" and "reason" are left out when empty; "params" whenever the message has a code.
  std::string out = fmt::format(R"({{"error":{{"code":"{}")", CodeName(e.code));
  if (!e.reason.empty()) {
    out += fmt::format(R"(,"reason":"{}")", JsonEscape(e.reason));
    AppendParams(out, e.params);
  }
  if (!e.field.empty()) out += fmt::format(R"(,"field":"{}")", JsonEscape(e.field));
  out += fmt::format(R"(,"message":"{}")", JsonEscape(i18n::RenderError(lang, e)));
  if (!e.problems.empty()) {
    out += R"(,"problems":[)";
    for (size_t i = 0; i < e.problems.size(); ++i) {
      const Problem& p = e.problems[i];
      out += fmt::format(R"({}{{"reason":"{}")", i ? "," : "", JsonEscape(p.reason));
      AppendParams(out, p.params);
      if (!p.field.empty()) out += fmt::format(R"(,"field":"{}")", JsonEscape(p.field));
      out += fmt::format(R"(,"message":"{}"}})", JsonEscape(i18n::RenderProblem(lang, p)));
    }
    out += ']';
  }
  if (!request_id.empty()) out += fmt::format(R"(,"request_id":"{}")", JsonEscape(request_id));
  out += "}}";
  return out;
}

Response ErrorResponse(const Error& e) {
  Response r;
  r.status = HttpStatus(e.code);
  if ((e.code == Code::kResourceExhausted || e.code == Code::kUnavailable) && e.retry_after_seconds > 0) {
    r.Header("Retry-After", std::to_string(e.retry_after_seconds));
  }
  r.error = e;
  return r;
}

Response JsonResponse(int status, std::string json_text) {
  Response r;
  r.status = status;
  r.body = std::move(json_text);
  return r;
}

i18n::Lang RequestLang(const Request& req) {
  const std::string* accept = req.Header("accept-language");
  return accept ? i18n::Negotiate(*accept, i18n::Lang::kEn) : i18n::Lang::kEn;
}

void SayLanguage(Response& resp, i18n::Lang lang) {
  resp.Header("Content-Language", std::string(i18n::LangTag(lang)));
  resp.Header("Vary", "Accept-Language");
}

}  // namespace sanad::http

// Delivers a callback: one HTTP/1.1 POST of a JSON body to an http:// URL, answered 2xx or not.
// https:// is refused (no TLS client yet: a production partner is reached through the gateway or a
// TLS-terminating proxy on the ministry's network, docs/dci.md).
//
// Thread safety: a pure function of its arguments (blocking, bounded by `timeout`).
#pragma once

#include <chrono>
#include <string>

#include "core/error.h"

namespace sanad::dci {

struct Url {
  std::string host, port, path;
};

// Splits http://host[:port]/path. Errors: kInvalidArgument for anything else.
Result<Url> ParseHttpUrl(const std::string& url);

// Errors: kUnavailable (cannot connect, timeout, non-2xx status: the outbox retries it).
Status PostJson(const std::string& url, const std::string& body, std::chrono::milliseconds timeout);

// A synchronous call of another registry (Sanad as a client: a civil registry's sync search): the same
// POST, reading the whole answer (the connection is closed by the server; chunked bodies are decoded).
struct Answer {
  int status = 0;
  std::string body;
};
// Errors: kUnavailable (cannot connect, timeout, no HTTP answer, an answer over `max_bytes`). Any status
// is an answer: the caller reads the registry's error message from a 4xx.
Result<Answer> PostJsonForAnswer(const std::string& url, const std::string& body, std::chrono::milliseconds timeout,
                                 std::size_t max_bytes = 1 << 20);

}  // namespace sanad::dci

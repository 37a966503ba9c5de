// The HTTP server: RESTinio's express router built from the route table, on a thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/pipeline.h"
#include "http/route.h"
#include "http/static_files.h"

namespace sanad::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 8;  // handlers block on the database and on argon2: more threads than cores
  // Transport cap on a request body (0: none); the effective limit is the largest route's max_body
  // when lower, so each route's limit is answered 413 by the pipeline and anything above by the parser.
  std::size_t max_body = 0;
  // Reverse proxies in front (exact addresses): from them, X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  Server(ServerOptions options, RouteTable routes, Pipeline& pipeline, const StaticFiles* static_files);
  ~Server();

  // Binds and starts serving in background threads. Errors: kUnavailable (port in use…).
  Status Start();
  // Stops accepting, lets requests in progress finish, joins the threads.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanad::http

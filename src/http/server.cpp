#include "http/server.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <regex>
#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

namespace sanad::http {

namespace {

using Router = restinio::router::express_router_t<>;
// The express router is wrapped in a plain handler (default request_handler_t) so that a request the
// router itself cannot parse gets a 400 rather than a closed connection.
struct Traits : public restinio::default_traits_t {};

// The router normalises the target path before matching and throws on a malformed percent-encoding
// ("/api/v1/areas/%zz"); RESTinio would then close the connection without a response.
bool ValidPercentEncoding(restinio::string_view_t path) {
  try {
    (void)restinio::utils::uri_normalization::unreserved_chars::estimate_required_capacity(path);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

restinio::http_method_id_t MethodId(const std::string& m) {
  if (m == "GET") return restinio::http_method_get();
  if (m == "POST") return restinio::http_method_post();
  if (m == "PUT") return restinio::http_method_put();
  if (m == "PATCH") return restinio::http_method_patch();
  if (m == "DELETE") return restinio::http_method_delete();
  throw std::invalid_argument("unsupported method in route table: " + m);
}

std::vector<std::string> ParamNames(const std::string& pattern) {
  std::vector<std::string> names;
  std::regex re(":([A-Za-z_][A-Za-z0-9_]*)");
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), re), end; it != end; ++it) names.push_back((*it)[1]);
  return names;
}

std::regex PatternRegex(const std::string& pattern) {
  return std::regex("^" + std::regex_replace(pattern, std::regex(":[A-Za-z_][A-Za-z0-9_]*"), "[^/]+") + "$");
}

// Copies what the handlers need out of RESTinio's request. Errors: a malformed query string.
Result<Request> Convert(const restinio::request_handle_t& rq) {
  Request req;
  const auto& h = rq->header();
  req.method = std::string(h.method().c_str());
  req.path = std::string(h.path());
  try {
    auto q = restinio::parse_query<restinio::parse_query_traits::x_www_form_urlencoded>(h.query());
    for (const auto& kv : q) req.query.emplace_back(std::string(kv.first), std::string(kv.second));
    if (auto tag = q.tag()) req.query.emplace_back(std::string(*tag), "");
  } catch (const std::exception& e) {
    return Fail(Code::kInvalidArgument, fmt::format("malformed query string: {}", e.what()), "query");
  }
  h.for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = f.value();
  });
  req.body = rq->body();
  req.remote_ip = rq->remote_endpoint().address().to_string();
  return req;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Client Error" : "Internal Server Error";
  }
}

restinio::request_handling_status_t Send(const restinio::request_handle_t& rq, const Response& resp) {
  auto r = rq->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(resp.status)}, Reason(resp.status)});
  r.append_header(restinio::http_field::content_type, resp.content_type);
  for (const auto& [k, v] : resp.headers) r.append_header(k, v);
  r.set_body(resp.body);
  return r.done();
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  RouteTable routes;
  Pipeline& pipeline;
  const StaticFiles* static_files;
  std::vector<std::pair<std::regex, std::string>> route_regexes;  // (pattern regex, method)
  restinio::running_server_handle_t<Traits> running;

  Impl(ServerOptions o, RouteTable r, Pipeline& p, const StaticFiles* s)
      : options(std::move(o)), routes(std::move(r)), pipeline(p), static_files(s) {}

  std::unique_ptr<Router> BuildRouter() {
    auto router = std::make_unique<Router>();
    for (const Route& route : routes) {
      route_regexes.emplace_back(PatternRegex(route.pattern), route.method);
      auto names = ParamNames(route.pattern);
      // Case-sensitive like the 405 check below: /API/V1/AUDIT is not an alias a proxy rule could miss.
      router->add_handler(MethodId(route.method), route.pattern, restinio::path2regex::options_t{}.sensitive(true),
                          [this, &route, names](const restinio::request_handle_t& rq, restinio::router::route_params_t params) {
                            auto req = Convert(rq);
                            if (!req) return Unmatched(rq, ErrorResponse(req.error()));
                            req->request_id = RequestId(*req);
                            for (const auto& n : names) req->params[n] = std::string(params[n]);
                            return Send(rq, pipeline.Handle(route, *req));
                          });
    }
    router->non_matched_request_handler([this](const restinio::request_handle_t& rq) { return NotMatched(rq); });
    return router;
  }

  static std::string RequestId(const Request& req) {
    const std::string* given = req.Header("x-request-id");
    return given && AcceptableRequestId(*given) ? *given : Pipeline::NewRequestId();
  }

  restinio::request_handling_status_t Unmatched(const restinio::request_handle_t& rq, Response resp) {
    Request req;
    req.method = std::string(rq->header().method().c_str());
    req.path = std::string(rq->header().path());
    req.remote_ip = rq->remote_endpoint().address().to_string();
    req.request_id = Pipeline::NewRequestId();
    return Send(rq, pipeline.Finish(req, std::move(resp), "unmatched", 0));
  }

  restinio::request_handling_status_t NotMatched(const restinio::request_handle_t& rq) {
    const auto start = std::chrono::steady_clock::now();
    auto converted = Convert(rq);
    if (!converted) return Unmatched(rq, ErrorResponse(converted.error()));
    Request& req = *converted;
    req.request_id = RequestId(req);
    Response resp;
    std::string route_name = "unmatched";
    std::vector<std::string> allowed;
    for (const auto& [re, method] : route_regexes) {
      // Several patterns may match one path (/areas/boundaries and /areas/:code): list a method once.
      if (std::regex_match(req.path, re) && std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
        allowed.push_back(method);
      }
    }
    if (!allowed.empty()) {
      resp = ErrorResponse({Code::kMethodNotAllowed,
                            fmt::format("{} is not allowed on {}; use {}", req.method, req.path, fmt::join(allowed, ", ")),
                            "method", 0});
      resp.Header("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
    } else if (!req.path.starts_with("/api/") && static_files && (req.method == "GET" || req.method == "HEAD")) {
      const std::string* accept = req.Header("accept-encoding");
      if (auto file = static_files->Serve(req.path, accept ? *accept : std::string_view{})) {
        resp = std::move(*file);
        route_name = "static";
      } else {
        resp = ErrorResponse({Code::kNotFound, fmt::format("no file at {}", req.path), "path", 0});
      }
    } else {
      resp = ErrorResponse({Code::kNotFound, fmt::format("no route {} {}", req.method, req.path), "path", 0});
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return Send(rq, pipeline.Finish(req, std::move(resp), route_name, seconds));
  }
};

Server::Server(ServerOptions options, RouteTable routes, Pipeline& pipeline, const StaticFiles* static_files)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes), pipeline, static_files)) {}

Server::~Server() { Stop(); }

Status Server::Start() {
  try {
    auto settings = restinio::server_settings_t<Traits>{}
                        .address(impl_->options.bind)
                        .port(impl_->options.port)
                        .request_handler([router = std::shared_ptr<Router>(impl_->BuildRouter()),
                                          impl = impl_.get()](const restinio::request_handle_t& rq) {
                          if (!ValidPercentEncoding(rq->header().path())) {
                            return impl->Unmatched(rq, ErrorResponse({Code::kInvalidArgument,
                                                                      "malformed percent-encoding in the path",
                                                                      "path", 0}));
                          }
                          return (*router)(rq);
                        })
                        .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(impl_->options.max_body))
                        .read_next_http_message_timelimit(std::chrono::seconds(60))
                        .handle_request_timeout(std::chrono::seconds(120));
    impl_->running = restinio::run_async(restinio::own_io_context(), std::move(settings), impl_->options.threads);
  } catch (const std::exception& e) {
    return Fail(Code::kUnavailable,
                fmt::format("cannot listen on {}:{}: {}", impl_->options.bind, impl_->options.port, e.what()), "port");
  }
  return Ok();
}

void Server::Stop() {
  if (impl_ && impl_->running) {
    impl_->running->stop();
    impl_->running->wait();
    impl_->running.reset();
  }
}

}  // namespace sanad::http

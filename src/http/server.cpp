#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <regex>
#include <restinio/all.hpp>
#include <thread>
#include <unordered_map>

#include "http/client_address.h"
#include "http/message.h"

namespace sanad::http::transport {

// The express router is wrapped in a plain handler (default request_handler_t) so that a request the
// router itself cannot parse gets a 400 rather than a closed connection.
struct Traits : public restinio::default_traits_t {};

// The whole response to a request the HTTP parser refused: a body over the transport limit (413),
// header fields over their limits (431), a target over its limit (414), anything else (400).
std::string Refusal(http_errno err, std::uint64_t content_length, std::uint64_t max_body) {
  int status = 400;
  const char* reason = "Bad Request";
  Error e;
  switch (err) {
    case HPE_CB_headers_complete:
    case HPE_CB_body:
    case HPE_CB_chunk_header:
      status = 413, reason = "Payload Too Large";
      e = content_length != ULLONG_MAX && content_length > max_body
              ? Failure(Code::kPayloadTooLarge, "request.too_large",
                        {{"size", std::to_string(content_length)}, {"max", std::to_string(max_body)}}, "body")
                    .error()
              : Failure(Code::kPayloadTooLarge, "request.body_over_limit", {{"max", std::to_string(max_body)}}, "body")
                    .error();
      break;
    case HPE_CB_header_field:
    case HPE_CB_header_value:
    case HPE_HEADER_OVERFLOW:
      status = 431, reason = "Request Header Fields Too Large";
      e = Failure(Code::kInvalidArgument, "request.headers_too_large", {}, "headers").error();
      break;
    case HPE_CB_url:
      status = 414, reason = "URI Too Long";
      e = Failure(Code::kInvalidArgument, "request.target_too_long", {}, "path").error();
      break;
    default:
      // The parser's own description (English, from the library) goes in a parameter for diagnosis.
      e = Failure(Code::kInvalidArgument, "request.malformed", {{"detail", http_errno_description(err)}}).error();
      break;
  }
  const std::string id = Pipeline::NewRequestId();
  // The parser refused the request before its headers could be read whole, so there is no
  // Accept-Language to honour: English, with the reason and parameters a client renders from.
  const std::string body = ErrorBody(e, i18n::Lang::kEn, id);
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n"
      "X-Request-Id: {}\r\nX-Content-Type-Options: nosniff\r\n\r\n{}",
      status, reason, body.size(), id, body);
}

}  // namespace sanad::http::transport

// RESTinio 0.6 closes the connection without a word when its HTTP parser refuses a request (a body
// over the limit, oversized headers, bad syntax): the client cannot tell a limit from a crash. This
// specialisation of the connection's parse step, for this server's traits only, is RESTinio's own
// consume_data plus one thing: before closing, when no earlier request of the connection is still
// being answered (a pipelined response must not be interleaved), it writes a JSON error response.
template <>
void restinio::impl::connection_t<sanad::http::transport::Traits>::consume_data(const char* data, std::size_t length) {
  auto& parser = m_input.m_parser;
  const auto nparsed = http_parser_execute(&parser, &(m_settings->m_parser_settings), data, length);
  m_input.m_buf.consumed_bytes(nparsed);
  if (HPE_OK != parser.http_errno && HPE_PAUSED != parser.http_errno) {
    const auto err = HTTP_PARSER_ERRNO(&parser);
    if (m_response_coordinator.empty()) {
      const std::string refusal =
          sanad::http::transport::Refusal(err, parser.content_length, m_input.m_parser_ctx.m_limits.max_body_size());
      asio_ns::error_code ec;
      asio_ns::write(m_socket, asio_ns::buffer(refusal), ec);  // small: fits the socket's send buffer
    }
    trigger_error_and_close([&] {
      return fmt::format("[connection:{}] parser error {}: {}", connection_id(), http_errno_name(err),
                         http_errno_description(err));
    });
    return;
  }
  if (m_input.m_parser_ctx.m_message_complete) {
    on_request_message_complete();
  } else {
    consume_message();
  }
}

namespace sanad::http {

namespace {

using Router = restinio::router::express_router_t<>;
using transport::Traits;

// Header limits: a field name of 256 bytes, a value of 16 KiB, 100 fields, a target of 8 KiB; the
// parser's own cap on the whole header block is 80 KiB. Above them: 431 (or 414 for the target).
constexpr std::size_t kMaxFieldName = 256, kMaxFieldValue = 16 * 1024, kMaxFields = 100, kMaxTarget = 8 * 1024;

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
Result<Request> Convert(const restinio::request_handle_t& rq, const std::vector<std::string>& trusted_proxies) {
  Request req;
  const auto& h = rq->header();
  req.method = std::string(h.method().c_str());
  req.path = std::string(h.path());
  try {
    auto q = restinio::parse_query<restinio::parse_query_traits::x_www_form_urlencoded>(h.query());
    for (const auto& kv : q) req.query.emplace_back(std::string(kv.first), std::string(kv.second));
    if (auto tag = q.tag()) req.query.emplace_back(std::string(*tag), "");
  } catch (const std::exception& e) {
    return Failure(Code::kInvalidArgument, "query.malformed", {}, "query");
  }
  h.for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = f.value();
  });
  req.body = rq->body();
  const std::string* forwarded = req.Header("x-forwarded-for");
  req.remote_ip = ClientAddress(rq->remote_endpoint().address().to_string(),
                                forwarded ? *forwarded : std::string_view{}, trusted_proxies);
  return req;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status < 500 ? "Client Error" : "Internal Server Error";
  }
}

// `resp` by value: its body moves into RESTinio's buffer (a search page is about 80 KB).
restinio::request_handling_status_t Send(const restinio::request_handle_t& rq, Response resp) {
  auto r = rq->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(resp.status)}, Reason(resp.status)});
  r.append_header(restinio::http_field::content_type, resp.content_type);
  for (const auto& [k, v] : resp.headers) r.append_header(k, v);
  r.set_body(std::move(resp.body));
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

  // Routes without parameters by "METHOD path", looked up before the express router, which tries the
  // regular expression of each route in turn: a route far down the table paid for a hundred searches
  // (a tenth of a DCI sync search's time, docs/dci.md "Benchmarks"). A route is here only when no
  // earlier route of its method matches its path too, so the first route of the table still wins.
  using Handler = std::function<restinio::request_handling_status_t(const restinio::request_handle_t&,
                                                                    restinio::router::route_params_t)>;
  std::unordered_map<std::string, Handler> literal_routes;

  static bool Literal(const std::string& pattern) {
    return std::all_of(pattern.begin(), pattern.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' || c == '.';
    });
  }

  // The handler of a request whose path is exactly a literal route's (no percent-encoding, which the
  // router would normalise first), or null.
  const Handler* FindLiteral(const restinio::request_handle_t& rq) const {
    const auto path = rq->header().path();
    if (path.find('%') != restinio::string_view_t::npos) return nullptr;
    std::string key(rq->header().method().c_str());
    key.push_back(' ');
    key.append(path.data(), path.size());
    auto it = literal_routes.find(key);
    return it == literal_routes.end() ? nullptr : &it->second;
  }

  std::unique_ptr<Router> BuildRouter() {
    auto router = std::make_unique<Router>();
    for (const Route& route : routes) {
      if (Literal(route.pattern) && std::none_of(route_regexes.begin(), route_regexes.end(), [&](const auto& earlier) {
            return earlier.second == route.method && std::regex_match(route.pattern, earlier.first);
          })) {
        literal_routes.emplace(route.method + " " + route.pattern, Handler());
      }
      route_regexes.emplace_back(PatternRegex(route.pattern), route.method);
      auto names = ParamNames(route.pattern);
      // Case-sensitive like the 405 check below: /API/V1/AUDIT is not an alias a proxy rule could miss.
      Handler handler = [this, &route, names](const restinio::request_handle_t& rq,
                                              restinio::router::route_params_t params) {
        auto converted = Convert(rq, options.trusted_proxies);
        if (!converted) return Unmatched(rq, ErrorResponse(converted.error()));
        auto req = std::make_shared<Request>(std::move(*converted));
        req->request_id = RequestId(*req);
        for (const auto& n : names) req->params[n] = std::string(params[n]);
        // The response may be sent later from another thread (an audited read waits for its entry
        // to be durable without holding this thread): RESTinio accepts a response from any thread.
        // Stop waits for these as for streams: the continuation uses the pipeline and the route.
        BeginResponse();
        pipeline.HandleAsync(route, req, [this, rq, request_id = req->request_id](Response resp) {
          if (resp.stream) {
            SendStream(rq, std::move(resp), request_id);
          } else {
            Send(rq, std::move(resp));
          }
          EndResponse();
        });
        return restinio::request_accepted();
      };
      if (auto it = literal_routes.find(route.method + " " + route.pattern); it != literal_routes.end() && !it->second)
        it->second = handler;
      router->add_handler(MethodId(route.method), route.pattern, restinio::path2regex::options_t{}.sensitive(true),
                          std::move(handler));
    }
    router->non_matched_request_handler([this](const restinio::request_handle_t& rq) { return NotMatched(rq); });
    return router;
  }

  // Streamed bodies (exports) are produced on a thread of their own: a server thread runs a
  // connection's strand, which must stay free to complete the writes the producer waits for. Each write
  // waits until the transport has written the previous chunk, so memory holds one chunk whatever the
  // size of the export and the speed of the client; a client that reads nothing for a minute, or a
  // server stopping, ends the stream.
  std::mutex streams_mu;
  std::condition_variable streams_cv;
  int streams_active = 0;  // streamed bodies being produced and responses not sent yet
  std::atomic<bool> stopping{false};

  restinio::request_handling_status_t SendStream(const restinio::request_handle_t& rq, Response resp,
                                                 std::string request_id) {
    auto r = rq->create_response<restinio::chunked_output_t>(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(resp.status)}, Reason(resp.status)});
    r.append_header(restinio::http_field::content_type, resp.content_type);
    for (const auto& [k, v] : resp.headers) r.append_header(k, v);
    {
      std::lock_guard lock(streams_mu);
      ++streams_active;
    }
    std::thread([this, r = std::move(r), resp = std::move(resp), request_id = std::move(request_id)]() mutable {
      BodyWriter write = [&](std::string_view chunk) -> Status {
        if (chunk.empty()) return Ok();
        r.append_chunk(std::string(chunk));
        auto written = std::make_shared<std::promise<bool>>();
        auto future = written->get_future();
        r.flush([written](const asio::error_code& ec) { written->set_value(!ec); });
        for (int waited = 0; future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready; ++waited) {
          if (stopping || waited >= 600) return Fail(Code::kUnavailable, "the client stopped reading the response");
        }
        if (!future.get()) return Fail(Code::kUnavailable, "the client went away");
        return Ok();
      };
      Status st = Ok();
      try {
        st = resp.stream(write);
      } catch (const std::exception& e) {
        st = Fail(Code::kInternal, fmt::format("uncaught exception: {}", e.what()));
      }
      if (st) {
        r.done();
      } else {
        // No final chunk: the client sees an unfinished transfer, never a complete-looking file; the
        // request timeout closes the connection.
        spdlog::error("request {} streamed response failed: {}", request_id, st.error().message);
      }
      std::lock_guard lock(streams_mu);
      --streams_active;
      streams_cv.notify_all();
    }).detach();
    return restinio::request_accepted();
  }

  void BeginResponse() {
    std::lock_guard lock(streams_mu);
    ++streams_active;
  }
  void EndResponse() {
    std::lock_guard lock(streams_mu);
    --streams_active;
    streams_cv.notify_all();
  }

  void WaitForStreams() {
    stopping = true;
    std::unique_lock lock(streams_mu);
    streams_cv.wait(lock, [&] { return streams_active == 0; });
  }

  // The transport reads bodies up to the largest any route accepts, so that a body over its route's
  // limit is answered by the pipeline with that limit; above it the parser refuses (413 as well).
  std::size_t TransportBodyLimit() const {
    std::size_t largest = 0;
    for (const Route& r : routes) largest = std::max(largest, r.max_body);
    return options.max_body ? std::min(options.max_body, largest) : largest;
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
    auto converted = Convert(rq, options.trusted_proxies);
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
      resp = ErrorResponse(
          Failure(
              Code::kMethodNotAllowed, "route.method_not_allowed",
              {{"method", req.method}, {"path", req.path}, {"allowed", fmt::format("{}", fmt::join(allowed, ", "))}},
              "method")
              .error());
      resp.Header("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
    } else if (!req.path.starts_with("/api/") && static_files && (req.method == "GET" || req.method == "HEAD")) {
      const std::string* accept = req.Header("accept-encoding");
      if (auto file = static_files->Serve(req.path, accept ? *accept : std::string_view{})) {
        resp = std::move(*file);
        route_name = "static";
      } else {
        resp = ErrorResponse(Failure(Code::kNotFound, "route.no_file", {{"path", req.path}}, "path").error());
      }
    } else {
      resp = ErrorResponse(
          Failure(Code::kNotFound, "route.not_found", {{"method", req.method}, {"path", req.path}}, "path").error());
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
    auto settings =
        restinio::server_settings_t<Traits>{}
            .address(impl_->options.bind)
            .port(impl_->options.port)
            .request_handler([router = std::shared_ptr<Router>(impl_->BuildRouter()),
                              impl = impl_.get()](const restinio::request_handle_t& rq) {
              if (!ValidPercentEncoding(rq->header().path())) {
                return impl->Unmatched(
                    rq, ErrorResponse(Failure(Code::kInvalidArgument, "path.bad_encoding", {}, "path").error()));
              }
              if (const auto* literal = impl->FindLiteral(rq)) return (*literal)(rq, {});
              return (*router)(rq);
            })
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_body_size(impl_->TransportBodyLimit())
                                          .max_url_size(kMaxTarget)
                                          .max_field_name_size(kMaxFieldName)
                                          .max_field_value_size(kMaxFieldValue)
                                          .max_field_count(kMaxFields))
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
  if (impl_) impl_->WaitForStreams();
  if (impl_ && impl_->running) {
    impl_->running->stop();
    impl_->running->wait();
    impl_->running.reset();
  }
}

}  // namespace sanad::http

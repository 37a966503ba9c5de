#include "dci/callback_client.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

namespace sanad::dci {

namespace {

Error Unavailable(std::string message) { return Error{Code::kUnavailable, std::move(message), "callback_url"}; }

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<Url> ParseHttpUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme))
    return FailWith(Code::kInvalidArgument, "dci.callback_url_invalid", "a callback URL must start with http://",
                    "callback_url");
  std::string rest = url.substr(kScheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Url out;
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    out.host = authority;
    out.port = "80";
  } else {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  }
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos ||
      authority.find('@') != std::string::npos) {
    return FailWith(Code::kInvalidArgument, "dci.callback_url_invalid", "the callback URL's host or port is not valid",
                    "callback_url");
  }
  return out;
}

namespace {

// Decodes a chunked HTTP/1.1 body; nullopt when malformed.
std::optional<std::string> Unchunk(std::string_view in) {
  std::string out;
  for (;;) {
    const auto eol = in.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    try {
      size = std::stoul(std::string(in.substr(0, eol)), nullptr, 16);
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): a malformed size is "malformed"
      return std::nullopt;
    }
    in.remove_prefix(eol + 2);
    if (size == 0) return out;
    if (in.size() < size + 2) return std::nullopt;
    out.append(in.substr(0, size));
    in.remove_prefix(size + 2);
  }
}

// One POST; reads the status line only, or (read_all) the whole answer until the server closes.
Result<Answer> Exchange(const std::string& url, const std::string& body, std::chrono::milliseconds timeout,
                        bool read_all, std::size_t max_bytes) {
  auto u = ParseHttpUrl(url);
  if (!u) return std::unexpected(u.error());
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(u->host.c_str(), u->port.c_str(), &hints, &found); rc != 0 || !found)
    return std::unexpected(Unavailable(fmt::format("cannot resolve {}: {}", u->host, ::gai_strerror(rc))));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  timeval tv{};
  tv.tv_sec = static_cast<long>(timeout.count() / 1000);
  tv.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
  std::string last = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    Socket sock(::socket(a->ai_family, a->ai_socktype, a->ai_protocol));
    if (sock.fd() < 0) continue;
    // On Linux SO_SNDTIMEO bounds connect() as well as send().
    ::setsockopt(sock.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ::setsockopt(sock.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(sock.fd(), a->ai_addr, a->ai_addrlen) != 0) {
      last = std::strerror(errno);
      continue;
    }
    const std::string request = fmt::format(
        "POST {} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
        "Connection: close\r\nUser-Agent: sanad-dci\r\n\r\n{}",
        u->path, u->host, u->port, body.size(), body);
    std::size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = ::send(sock.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return std::unexpected(Unavailable(fmt::format("sending to {} failed", url)));
      sent += static_cast<std::size_t>(n);
    }
    std::string head;
    char buf[4096];
    while (read_all || (head.find("\r\n") == std::string::npos && head.size() < 4096)) {
      ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, static_cast<std::size_t>(n));
      if (head.size() > max_bytes) return std::unexpected(Unavailable(fmt::format("{} answered too much", url)));
    }
    // "HTTP/1.1 200 OK"
    auto space = head.find(' ');
    if (space == std::string::npos || head.size() < space + 4 ||
        !std::isdigit(static_cast<unsigned char>(head[space + 1])))
      return std::unexpected(Unavailable(fmt::format("{} sent no HTTP answer", url)));
    Answer out;
    out.status = std::atoi(head.substr(space + 1, 3).c_str());
    if (!read_all) return out;
    const auto end = head.find("\r\n\r\n");
    if (end == std::string::npos) return std::unexpected(Unavailable(fmt::format("{} sent no HTTP answer", url)));
    std::string headers = head.substr(0, end);
    std::transform(headers.begin(), headers.end(), headers.begin(), [](unsigned char c) { return std::tolower(c); });
    out.body = head.substr(end + 4);
    if (headers.find("transfer-encoding: chunked") != std::string::npos) {
      auto plain = Unchunk(out.body);
      if (!plain) return std::unexpected(Unavailable(fmt::format("{} sent a malformed chunked answer", url)));
      out.body = std::move(*plain);
    }
    return out;
  }
  return std::unexpected(Unavailable(fmt::format("cannot connect to {}: {}", url, last)));
}

}  // namespace

Status PostJson(const std::string& url, const std::string& body, std::chrono::milliseconds timeout) {
  auto a = Exchange(url, body, timeout, false, 4096);
  if (!a) return std::unexpected(a.error());
  if (a->status < 200 || a->status > 299)
    return std::unexpected(Unavailable(fmt::format("{} answered {}", url, a->status)));
  return Ok();
}

Result<Answer> PostJsonForAnswer(const std::string& url, const std::string& body, std::chrono::milliseconds timeout,
                                 std::size_t max_bytes) {
  return Exchange(url, body, timeout, true, max_bytes);
}

}  // namespace sanad::dci

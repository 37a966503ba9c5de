#include "dci/callback_client.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

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

Status PostJson(const std::string& url, const std::string& body, std::chrono::milliseconds timeout) {
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
    // Only the status line matters.
    std::string head;
    char buf[512];
    while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
      ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, static_cast<std::size_t>(n));
    }
    // "HTTP/1.1 200 OK"
    auto space = head.find(' ');
    if (space == std::string::npos || head.size() < space + 4)
      return std::unexpected(Unavailable(fmt::format("{} sent no HTTP answer", url)));
    const std::string status = head.substr(space + 1, 3);
    if (status[0] != '2') return std::unexpected(Unavailable(fmt::format("{} answered {}", url, status)));
    return Ok();
  }
  return std::unexpected(Unavailable(fmt::format("cannot connect to {}: {}", url, last)));
}

}  // namespace sanad::dci

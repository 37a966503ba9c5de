#include "db/notification_listener.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>

namespace sanad::db {

struct NotificationListener::Impl {
  PGconn* conn = nullptr;
  int wake_fd = -1;  // eventfd written by Interrupt
  ~Impl() {
    if (conn) PQfinish(conn);
    if (wake_fd >= 0) close(wake_fd);
  }
};

NotificationListener::NotificationListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NotificationListener::~NotificationListener() = default;

Result<std::unique_ptr<NotificationListener>> NotificationListener::Open(const DatabaseUrl& url,
                                                                         const std::string& channel) {
  if (url.dialect != Dialect::kPostgres) return Fail(Code::kInvalidArgument, "notifications need PostgreSQL", "db");
  if (channel.empty() ||
      !std::all_of(channel.begin(), channel.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; })) {
    return Fail(Code::kInvalidArgument, fmt::format("bad channel name '{}'", channel), "channel");
  }
  auto impl = std::make_unique<Impl>();
  impl->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->wake_fd < 0) return Fail(Code::kInternal, "eventfd failed");
  // Bounded connect (Stop waits for a reconnect in progress) and TCP keepalives, so that a silently
  // dropped connection is noticed instead of leaving the node on polling alone.
  const std::string conninfo = url.pg_connection + " connect_timeout=5 keepalives=1 keepalives_idle=30";
  impl->conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(impl->conn) != CONNECTION_OK) {
    return Fail(Code::kUnavailable,
                fmt::format("cannot connect to {} to listen: {}", url.display, PQerrorMessage(impl->conn)), "db");
  }
  PGresult* r = PQexec(impl->conn, ("LISTEN " + channel).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok)
    return Fail(Code::kUnavailable, fmt::format("LISTEN {} failed: {}", channel, PQerrorMessage(impl->conn)), "db");
  return std::unique_ptr<NotificationListener>(new NotificationListener(std::move(impl)));
}

Result<bool> NotificationListener::Wait(std::chrono::milliseconds timeout) {
  auto drain = [&]() -> bool {
    bool any = false;
    while (PGnotify* n = PQnotifies(impl_->conn)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (drain()) return true;  // already read from the socket by an earlier call
  const int sock = PQsocket(impl_->conn);
  if (sock < 0) return Fail(Code::kUnavailable, "the listening connection is closed", "db");
  pollfd fds[2] = {{sock, POLLIN, 0}, {impl_->wake_fd, POLLIN, 0}};
  int n = poll(fds, 2, static_cast<int>(timeout.count()));
  if (n < 0) return errno == EINTR ? Result<bool>(false) : Fail(Code::kInternal, "poll failed");
  if (fds[1].revents & POLLIN) {
    std::uint64_t count = 0;
    (void)!read(impl_->wake_fd, &count, sizeof count);
    return false;
  }
  if (n == 0) return false;
  if (!PQconsumeInput(impl_->conn) || PQstatus(impl_->conn) != CONNECTION_OK) {
    return Fail(Code::kUnavailable, fmt::format("the listening connection broke: {}", PQerrorMessage(impl_->conn)),
                "db");
  }
  return drain();
}

void NotificationListener::Interrupt() {
  std::uint64_t one = 1;
  (void)!write(impl_->wake_fd, &one, sizeof one);
}

}  // namespace sanad::db

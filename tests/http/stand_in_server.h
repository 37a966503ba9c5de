// Stand-in systems the http tests start on 127.0.0.1 (no dependency on ../shared at test time): a
// partner receiving Sanad's callbacks (dci_test.cpp), a civil registry answering Sanad's searches and
// subscriptions (crvs_test.cpp).
#pragma once

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sanad::testing {

// A stand-in partner system: records the callbacks posted to it on 127.0.0.1 and fails the first
// `fail_first` of them with HTTP 500. With `answer`, it is a stand-in registry answering each call
// (a civil registry's sync search): the status and JSON body it returns.
class CallbackReceiver {
 public:
  struct Call {
    std::string path;
    nlohmann::json body;
  };
  using Answer = std::function<std::pair<int, nlohmann::json>(const Call&)>;
  explicit CallbackReceiver(int fail_first = 0, Answer answer = {})
      : fail_first_(fail_first), answer_(std::move(answer)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("receiver: bind");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CallbackReceiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string Url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  // Waits (bounded) until a callback satisfying `pred` arrived.
  std::optional<Call> WaitFor(const std::function<bool(const Call&)>& pred) {
    std::unique_lock lock(mu_);
    std::optional<Call> found;
    cv_.wait_for(lock, std::chrono::seconds(15), [&] {
      for (const auto& c : calls_)
        if (pred(c)) {
          found = c;
          return true;
        }
      return false;
    });
    return found;
  }
  std::vector<Call> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int attempts() const { return attempts_.load(); }

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string data;
      char buf[4096];
      std::size_t want = std::string::npos;
      while (true) {
        auto head = data.find("\r\n\r\n");
        if (head != std::string::npos && want == std::string::npos) {
          auto cl = data.find("Content-Length: ");
          want = head + 4 + (cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16)));
        }
        if (want != std::string::npos && data.size() >= want) break;
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
      }
      const int attempt = ++attempts_;
      const bool fail = attempt <= fail_first_;
      auto sp1 = data.find(' '), sp2 = data.find(' ', sp1 + 1);
      auto head = data.find("\r\n\r\n");
      Call call{
          data.substr(sp1 + 1, sp2 - sp1 - 1),
          head == std::string::npos ? nlohmann::json() : nlohmann::json::parse(data.substr(head + 4), nullptr, false)};
      std::string answer = fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
      if (!fail && answer_) {
        const auto [status, body] = answer_(call);
        const std::string text = body.dump();
        answer = fmt::format("HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}", status,
                             text.size(), text);
      }
      ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(c);
      if (fail) continue;
      {
        std::lock_guard lock(mu_);
        calls_.push_back(std::move(call));
      }
      cv_.notify_all();
    }
  }

  int fail_first_;
  Answer answer_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> attempts_{0};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Call> calls_;
};

}  // namespace sanad::testing

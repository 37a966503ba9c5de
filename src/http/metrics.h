// Prometheus metrics of the transport: request counts and latency histograms by route and status.
// Other figures (database pool, background work) are rendered by their owners and appended by the
// metrics route. Thread safety: Observe and Render may be called concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace sanad::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  // Text exposition format 0.0.4.
  std::string Render() const;

 private:
  struct Series {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
};

}  // namespace sanad::http

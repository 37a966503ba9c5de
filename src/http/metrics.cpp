#include "http/metrics.h"

#include <fmt/format.h>

namespace sanad::http {

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  auto& s = series_[{method, route, status}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
  ++s.count;
  s.sum += seconds;
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP sanad_http_requests_total HTTP requests by method, route pattern and status.\n";
  out += "# TYPE sanad_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    out += fmt::format("sanad_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method, route,
                       status, s.count);
  }
  out += "# HELP sanad_http_request_duration_seconds Request latency by method, route pattern and status.\n";
  out += "# TYPE sanad_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    std::string labels = fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", method, route, status);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("sanad_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, kBuckets[i],
                         s.buckets[i]);
    }
    out += fmt::format("sanad_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, s.count);
    out += fmt::format("sanad_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
    out += fmt::format("sanad_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
  }
  return out;
}

}  // namespace sanad::http

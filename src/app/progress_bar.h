// A progress bar on standard error for the long commands (import, score): phase, bar, items done, rate
// and ETA; redrawn at most ten times a second on a terminal, one final line per phase otherwise.
#pragma once

#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace sanad::app {

class ProgressBar {
 public:
  explicit ProgressBar(std::string unit = "rows") : unit_(std::move(unit)) {}
  void Update(std::string_view phase, long long done, long long total);
  void Finish();

 private:
  void Draw(bool final);

  std::string unit_;
  bool tty_ = isatty(2) != 0;
  std::string phase_;
  long long done_ = 0, total_ = 0;
  std::chrono::steady_clock::time_point phase_start_, last_;
};

}  // namespace sanad::app

#include "app/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>
#include <iostream>

namespace sanad::app {

void ProgressBar::Update(std::string_view phase, long long done, long long total) {
  using namespace std::chrono;
  auto now = steady_clock::now();
  if (phase != phase_) {
    if (!phase_.empty()) Draw(true);
    phase_ = std::string(phase);
    phase_start_ = now;
  }
  done_ = done;
  total_ = total;
  if (now - last_ < milliseconds(100) && done < total) return;
  last_ = now;
  Draw(false);
}

void ProgressBar::Finish() {
  if (!phase_.empty()) Draw(true);
  phase_.clear();
}

void ProgressBar::Draw(bool final) {
  using namespace std::chrono;
  double secs = duration<double>(steady_clock::now() - phase_start_).count();
  double rate = secs > 0 ? static_cast<double>(done_) / secs : 0;
  std::string line;
  if (total_ > 0) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * static_cast<double>(done_) / static_cast<double>(total_));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    line = fmt::format("{:<10} [{}] {:>3}% {}/{} {}  {:.0f} {}/s  ETA {:.0f}s", phase_, bar, 100 * done_ / total_,
                       done_, total_, unit_, rate, unit_, eta);
  } else {
    line = fmt::format("{:<10} …", phase_);
  }
  if (final) line += fmt::format("  ({:.2f} s)", secs);
  if (tty_) {
    std::cerr << "\r" << line << "\033[K" << (final ? "\n" : "") << std::flush;
  } else if (final) {
    std::cerr << line << "\n";
  }
}

}  // namespace sanad::app

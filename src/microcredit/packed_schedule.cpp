#include "microcredit/packed_schedule.h"

#include <fmt/format.h>

#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {

std::string PackSchedule(std::span<const LoanInstalment> instalments) {
  std::string out;
  out.reserve(instalments.size() * 18);
  for (const auto& i : instalments) {
    if (!out.empty()) out += ';';
    fmt::format_to(std::back_inserter(out), "{}:{}", i.due_on, i.principal_minor);
  }
  return out;
}

Day DayOfStoredDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return -1;
  int v[3] = {0, 0, 0};
  const std::size_t from[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = from[k]; i < from[k] + len[k]; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      v[k] = v[k] * 10 + (iso[i] - '0');
    }
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return -1;
  return DayOf(v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2]));
}

bool UnpackSchedule(std::string_view packed, std::vector<Day>& due, std::vector<std::int64_t>& principal) {
  const std::size_t due_size = due.size(), principal_size = principal.size();
  auto fail = [&] {
    due.resize(due_size);
    principal.resize(principal_size);
    return false;
  };
  std::size_t at = 0;
  while (at < packed.size()) {
    const Day day = DayOfStoredDate(packed.substr(at, 10));
    if (day < 0 || at + 11 >= packed.size() || packed[at + 10] != ':') return fail();
    at += 11;
    std::int64_t minor = 0;
    const std::size_t digits = at;
    // At most 18 digits: no overflow of a 64-bit integer.
    while (at < packed.size() && packed[at] >= '0' && packed[at] <= '9' && at - digits < 18) {
      minor = minor * 10 + (packed[at++] - '0');
    }
    if (at == digits) return fail();
    due.push_back(day);
    principal.push_back(minor);
    if (at == packed.size()) break;
    if (packed[at] != ';' || at + 1 == packed.size()) return fail();
    ++at;
  }
  return true;
}

}  // namespace sanad::microcredit

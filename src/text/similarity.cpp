#include "text/similarity.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sanad::text {
namespace {

// Jaro over any character type. Uses small stack buffers for the usual short names.
template <typename Ch>
double JaroImpl(std::basic_string_view<Ch> a, std::basic_string_view<Ch> b) {
  const std::size_t la = a.size(), lb = b.size();
  if (la == 0 && lb == 0) return 1.0;
  if (la == 0 || lb == 0) return 0.0;
  if (a == b) return 1.0;
  if (la > lb) return JaroImpl(b, a);  // a is the shorter
  const std::size_t window = lb / 2 > 0 ? lb / 2 - 1 : 0;
  constexpr std::size_t kStack = 64;
  bool a_stack[kStack], b_stack[kStack];
  std::vector<bool> a_heap, b_heap;  // only for long strings
  const bool big = lb > kStack;
  if (big) {
    a_heap.assign(la, false);
    b_heap.assign(lb, false);
  } else {
    std::fill(a_stack, a_stack + la, false);
    std::fill(b_stack, b_stack + lb, false);
  }
  auto a_get = [&](std::size_t i) { return big ? static_cast<bool>(a_heap[i]) : a_stack[i]; };
  auto b_get = [&](std::size_t i) { return big ? static_cast<bool>(b_heap[i]) : b_stack[i]; };
  auto a_set = [&](std::size_t i) {
    if (big)
      a_heap[i] = true;
    else
      a_stack[i] = true;
  };
  auto b_set = [&](std::size_t i) {
    if (big)
      b_heap[i] = true;
    else
      b_stack[i] = true;
  };
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_get(j) && a[i] == b[j]) {
        a_set(i);
        b_set(j);
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0, k = 0;
  for (std::size_t i = 0; i < la; ++i) {
    if (!a_get(i)) continue;
    while (!b_get(k)) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  const double m = static_cast<double>(matches);
  return (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
}

template <typename Ch>
double JaroWinklerImpl(std::basic_string_view<Ch> a, std::basic_string_view<Ch> b) {
  const double j = JaroImpl(a, b);
  std::size_t prefix = 0;
  const std::size_t max_prefix = std::min<std::size_t>({4, a.size(), b.size()});
  while (prefix < max_prefix && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1.0 - j);
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) { return JaroImpl(a, b); }
double JaroWinkler(std::string_view a, std::string_view b) { return JaroWinklerImpl(a, b); }
double JaroWinkler(std::u32string_view a, std::u32string_view b) { return JaroWinklerImpl(a, b); }

int Levenshtein(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  std::vector<int> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  const std::size_t la = a.size(), lb = b.size();
  std::vector<int> prev2(lb + 1), prev(lb + 1), cur(lb + 1);
  for (std::size_t j = 0; j <= lb; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= la; ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[lb];
}

bool WithinEdits(std::string_view a, std::string_view b, int k) {
  const auto diff = static_cast<long>(a.size()) - static_cast<long>(b.size());
  if (diff > k || -diff > k) return false;
  if (k == 0) return a == b;
  // Strip the common prefix and suffix: most near-equal names differ in one place.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (static_cast<int>(std::max(a.size(), b.size())) <= k) return true;
  // For one edit, once the common prefix and suffix are gone what remains is one character on each side
  // (substitution), one on one side (insertion: caught above) or two swapped characters (transposition).
  if (k == 1) return a.size() == 2 && b.size() == 2 && a[0] == b[1] && a[1] == b[0];
  return DamerauLevenshtein(a, b) <= k;
}

}  // namespace sanad::text

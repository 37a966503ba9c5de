#include "payments/money.h"

#include <sodium.h>

namespace sanad::payments {
namespace {
constexpr std::int64_t kMaxMinor = 1'000'000'000'000'000;  // 10^15: far above any payment, far below overflow
}

std::string FormatMinor(std::int64_t minor) {
  std::string cents = std::to_string(minor % 100);
  if (cents.size() < 2) cents.insert(cents.begin(), '0');
  return std::to_string(minor / 100) + "." + cents;
}

std::optional<std::int64_t> ParseDecimalAmount(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 13 || frac.size() > 2) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  std::int64_t v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  std::int64_t cents = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    cents = cents * 10 + (c - '0');
  }
  return v * 100 + cents;
}

std::optional<std::int64_t> ParseMinor(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > kMaxMinor) return std::nullopt;
  return v;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof d);
  for (unsigned char b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string NewWithdrawalCode() {
  std::string code(10, '0');
  for (char& c : code) c = static_cast<char>('0' + randombytes_uniform(10));
  return code;
}

std::string WithdrawalCodeHash(std::string_view end_to_end_id, std::string_view code) {
  std::string text(end_to_end_id);
  text += ':';
  text += code;
  return Sha256Hex(text);
}

}  // namespace sanad::payments

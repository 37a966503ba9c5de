#include "empowerment/tracking_code.h"

#include <sodium.h>

#include "payments/money.h"

namespace sanad::empowerment {
namespace {

// Crockford's base 32: no I, L, O, U (read as 1, 1, 0, V when typed back).
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kLength = 16;

}  // namespace

std::string NewTrackingCode() {
  std::string out;
  for (std::size_t i = 0; i < kLength; ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

std::optional<std::string> NormaliseTrackingCode(std::string_view typed) {
  std::string raw;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    if (c == 'U') c = 'V';
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    raw.push_back(c);
    if (raw.size() > kLength) return std::nullopt;
  }
  if (raw.size() != kLength) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < kLength; ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(raw[i]);
  }
  return out;
}

std::string TrackingCodeHash(const std::string& canonical) { return payments::Sha256Hex(canonical); }

}  // namespace sanad::empowerment

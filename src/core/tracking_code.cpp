#include "core/tracking_code.h"

#include <sodium.h>

#include <cctype>

namespace sanad::core {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::string RandomCode(std::size_t chars) {
  std::string out(chars, '0');
  for (auto& c : out) c = kCrockford[randombytes_uniform(static_cast<std::uint32_t>(kCrockford.size()))];
  return out;
}

std::optional<std::string> NormaliseCode(std::string_view typed, std::size_t chars) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == 'I' || u == 'L') u = '1';
    if (u == 'O') u = '0';
    if (u == 'U') u = 'V';
    if (kCrockford.find(u) == std::string_view::npos) return std::nullopt;
    out.push_back(u);
    if (out.size() > chars) return std::nullopt;
  }
  if (out.size() != chars) return std::nullopt;
  return out;
}

std::string GroupCode(std::string_view bare) {
  std::string out;
  for (std::size_t i = 0; i < bare.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(bare[i]);
  }
  return out;
}

std::string CodeHash(std::string_view code) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(code.data()), code.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof h);
  for (unsigned char b : h) out += kHex[b >> 4], out += kHex[b & 15];
  return out;
}

}  // namespace sanad::core

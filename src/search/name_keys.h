// Internal to the name index: term flags, sentinels and the hashed keys of the deletion neighbourhoods
// (a string and each string one byte shorter), shared by building, updating and querying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace sanad::search::internal {

constexpr std::uint32_t kFamilyBit = 0x8000'0000u;
constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxQueryTokens = 8;
constexpr std::uint8_t kLatin = 0;
constexpr std::uint8_t kArabic = 1;

// 64-bit hash of a byte string with a seed (the key space: skeleton, Latin match form, Arabic form).
inline std::uint64_t Hash(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (seed * 0xC2B2AE3D27D4EB4Full);
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ull;
    h ^= h >> 29;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

// Calls fn(hash) for `s` and (when long enough) for each distinct string obtained by deleting one byte.
template <typename Fn>
void ForEachDeletion(std::string_view s, std::uint64_t seed, std::size_t min_len_for_deletes, Fn&& fn) {
  fn(Hash(s, seed));
  if (s.size() < min_len_for_deletes) return;
  std::string buf;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // deleting either of two equal neighbours gives the same string
    buf.assign(s.substr(0, i));
    buf.append(s.substr(i + 1));
    fn(Hash(buf, seed));
  }
}

constexpr std::size_t kSkelMinLenForDeletes = 3;
constexpr std::size_t kMfMinLenForDeletes = 4;
constexpr std::uint64_t kSkelSeed = 1;
inline std::uint64_t MfSeed(std::uint8_t script) { return 2 + script; }

}  // namespace sanad::search::internal

// Codes a citizen keeps instead of an account (tracking codes of reports, registrations, grievances) and
// non-sequential public ids: Crockford's base-32 alphabet drawn from libsodium's CSPRNG, 5 bits a
// character, so a code cannot be guessed and the public routes that take one are rate limited. Only the
// SHA-256 of a code is stored, so the database never holds a usable code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sanad::core {

// `chars` characters of Crockford's base 32 (no I, L, O, U), without separators.
std::string RandomCode(std::size_t chars);
// A code as typed by a citizen (any case, spaces or hyphens, I/L read as 1, O as 0, U as V) in its bare
// canonical form of `chars` characters, or nullopt when it cannot be such a code.
std::optional<std::string> NormaliseCode(std::string_view typed, std::size_t chars);
// The bare code in groups of four separated by hyphens, easier to read out on the phone: XXXX-XXXX-….
std::string GroupCode(std::string_view bare);
// The stored key of a code: its SHA-256 in lower-case hex.
std::string CodeHash(std::string_view code);

}  // namespace sanad::core

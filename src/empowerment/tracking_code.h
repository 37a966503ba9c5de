// Tracking codes: what a woman keeps to come back to her file without an account. 16 characters of
// core/tracking_code.h (80 bits), shown as XXXX-XXXX-XXXX-XXXX; only the SHA-256 of that form is stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sanad::empowerment {

std::string NewTrackingCode();
// The code as typed (any case, with or without dashes or spaces) in its canonical form, or nullopt when
// it cannot be a code (wrong length or letters).
std::optional<std::string> NormaliseTrackingCode(std::string_view typed);
// SHA-256 (hex) of the canonical code: the stored key.
std::string TrackingCodeHash(const std::string& canonical);

}  // namespace sanad::empowerment

#include "auth/password.h"

#include <crack.h>
#include <sodium.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <mutex>

namespace sanad::auth {

namespace {

// A refusal of the password policy: a catalogue code (password.*) for the field being checked.
Status Refuse(std::string_view reason, std::string_view field, MessageParams params = {}) {
  return Failure(Code::kInvalidArgument, std::string(reason), std::move(params), std::string(field));
}

// Words that are common passwords here but missing from cracklib's English dictionary (authored for
// this project, CC0): French and Arabic-in-Latin favourites, country names, keyboard rows.
constexpr std::string_view kLocalCommon[] = {
    "motdepasse", "bismillah", "allahakbar", "alhamdulillah", "maroc",   "marocain", "morocco", "algerie",
    "algeria",    "dzair",     "tunisie",    "soleil",        "bonjour", "azerty",   "qwerty",  "azertyuiop",
    "qwertyuiop", "123soleil", "azerty123",  "jetaime",       "doudou",  "chouchou", "loulou",  "nassim"};

std::string Lower(const icu::UnicodeString& u) {
  icu::UnicodeString copy(u);
  copy.foldCase();
  std::string out;
  copy.toUTF8String(out);
  return out;
}

// The password without leading and trailing digits, punctuation and spaces ("Password2026!" → "Password").
icu::UnicodeString Core(const icu::UnicodeString& u) {
  int32_t b = 0, e = u.length();
  auto edge = [](UChar32 c) {
    return u_isdigit(c) || u_isspace(c) || (U_GET_GC_MASK(c) & (U_GC_S_MASK | U_GC_P_MASK)) != 0;
  };
  while (b < e && edge(u.char32At(b))) b = u.moveIndex32(b, 1);
  while (e > b && edge(u.char32At(u.moveIndex32(e, -1)))) e = u.moveIndex32(e, -1);
  return u.tempSubStringBetween(b, e);
}

// cracklib's verdict, or nullptr when it finds nothing. FascistCheck keeps static state: one at a time.
const char* Cracklib(const std::string& pw) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  return FascistCheck(pw.c_str(), GetDefaultCracklibDict());
}

}  // namespace

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing secure can run
  });
}

Result<std::string> NormalizePassword(std::string_view password) {
  const std::string_view field = "password";
  if (password.size() > kMaxPasswordBytes) {
    return std::unexpected(Refuse(MsgCode("password.too_long"), field).error());
  }
  for (int32_t i = 0, n = static_cast<int32_t>(password.size()); i < n;) {
    UChar32 c;
    U8_NEXT(password.data(), i, n, c);
    if (c < 0) return std::unexpected(Refuse(MsgCode("password.invalid_utf8"), field).error());
    if (u_charType(c) == U_CONTROL_CHAR) {
      return std::unexpected(Refuse(MsgCode("password.control_character"), field).error());
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return Fail(Code::kInternal, "ICU NFKC normaliser unavailable");
  icu::UnicodeString normal = nfkc->normalize(icu::UnicodeString::fromUTF8(password), status);
  if (U_FAILURE(status)) return Fail(Code::kInternal, "ICU NFKC normalisation failed");
  std::string out;
  normal.toUTF8String(out);
  return out;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username, std::string_view field) {
  auto normal = NormalizePassword(password);
  if (!normal) {
    Error e = normal.error();
    if (e.code == Code::kInvalidArgument) e.field = std::string(field);
    return std::unexpected(e);
  }
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(*normal);
  const int32_t code_points = u.countChar32();
  if (code_points < static_cast<int32_t>(kMinPasswordLength)) {
    return Refuse(MsgCode("password.too_short"), field, {{"min", std::to_string(kMinPasswordLength)}});
  }
  if (normal->size() > kMaxPasswordBytes) {
    return Refuse(MsgCode("password.too_long"), field);
  }
  const std::string lower = Lower(u);
  if (!username.empty() && username.size() >= 3 &&
      (lower.find(Lower(icu::UnicodeString::fromUTF8(username))) != std::string::npos)) {
    return Refuse(MsgCode("password.contains_username"), field);
  }
  for (std::string_view product : {std::string_view("sanad"), std::string_view("سند")}) {
    if (lower.find(product) != std::string::npos) {
      return Refuse(MsgCode("password.contains_product_name"), field);
    }
  }
  // A few characters repeated ("abcabcabcabc", "aaaaaaaaaaaa"): fewer than 4 distinct code points.
  {
    std::u32string seen;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
      char32_t c = static_cast<char32_t>(u.char32At(i));
      if (seen.find(c) == std::u32string::npos) seen.push_back(c);
    }
    if (seen.size() < 4) return Refuse(MsgCode("password.repetitive"), field);
  }
  const std::string core = Lower(Core(u));
  for (std::string_view word : kLocalCommon) {
    if (core == word) return Refuse(MsgCode("password.common"), field);
  }
  if (Cracklib(*normal) || (core.size() >= 6 && Cracklib(core))) {
    return Refuse(MsgCode("password.common"), field);
  }
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  auto normal = NormalizePassword(password);
  const std::string& pw = normal ? *normal : std::string(password);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Failure(Code::kResourceExhausted, "password.hash_busy");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  EnsureSodium();
  auto normal = NormalizePassword(password);
  if (normal && crypto_pwhash_str_verify(encoded.c_str(), normal->data(), normal->size()) == 0) return true;
  if (normal && *normal == password) return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

void BurnVerifyTime(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("sanad-dummy-password-for-timing");
    return h ? *h : std::string();
  }();
  (void)VerifyPassword(password, dummy);
}

}  // namespace sanad::auth

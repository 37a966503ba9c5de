// How a household is paid: the channels, and the checks an account passes before it is stored — the
// RIB's length and mod-97 key, a mobile wallet's phone number. Pure functions, no SQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::payments {

enum class Channel { kBankTransfer, kCashWithdrawal, kMobileWallet };

// "bank_transfer" | "cash_withdrawal" | "mobile_wallet"
std::string_view ChannelName(Channel c);
std::optional<Channel> ParseChannel(std::string_view name);

// The channel of a household that has no account on file.
inline constexpr Channel kDefaultChannel = Channel::kCashWithdrawal;

enum class Country { kMorocco, kAlgeria };

// The country of a commune code ("MA-…", "DZ-…"); nullopt for anything else.
std::optional<Country> CountryOfCommune(std::string_view commune_code);

// Whether `digits` is a valid RIB of `country`: Morocco 24 digits (bank 3, city 3, account 16, key 2),
// Algeria 20 digits (bank 3, agency 5, account 10, key 2). Both keys are the mod-97 rule of the French
// RIB family: the whole number, key included, is divisible by 97 and the key lies in 01..97, i.e.
// key = 97 − ((number without key × 100) mod 97).
bool RibKeyValid(std::string_view digits);
std::size_t RibLength(Country country);

// What a caller sends to set an account (PUT …/payment-account).
struct AccountInput {
  std::string channel;
  std::optional<std::string> rib;          // bank_transfer
  std::optional<std::string> holder_name;  // bank_transfer (the payee's name otherwise)
  std::optional<std::string> phone;        // mobile_wallet
};

struct Account {
  Channel channel = kDefaultChannel;
  std::optional<std::string> account;  // RIB digits or phone in international form (+212…)
  std::optional<std::string> holder_name;
};

// Checks `in` for a household in `country`; spaces and dashes in a RIB or phone are ignored.
// Errors: kInvalidArgument naming the field (channel, rib, holder_name, phone), every problem at once.
Result<Account> ValidateAccount(const AccountInput& in, Country country);

}  // namespace sanad::payments

#include "payments/account.h"

#include <array>
#include <utility>
#include <vector>

#include "registry/values.h"

namespace sanad::payments {
namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 3> kChannels{{
    {Channel::kBankTransfer, "bank_transfer"},
    {Channel::kCashWithdrawal, "cash_withdrawal"},
    {Channel::kMobileWallet, "mobile_wallet"},
}};

// The text without spaces and dashes, as people write account and phone numbers.
std::string Compact(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '-' && c != '.') out.push_back(c);
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A mobile number in international form: Morocco +212 6/7 and eight digits, Algeria +213 5/6/7 and
// eight digits; a national form (06…, 0555…) is accepted and rewritten.
std::optional<std::string> MobileNumber(std::string_view raw, Country country) {
  std::string s = Compact(raw);
  const std::string cc = country == Country::kMorocco ? "212" : "213";
  if (s.starts_with("+" + cc)) {
    s = s.substr(1 + cc.size());
  } else if (s.starts_with("00" + cc)) {
    s = s.substr(2 + cc.size());
  } else if (s.starts_with("0")) {
    s = s.substr(1);
  } else {
    return std::nullopt;
  }
  if (s.size() != 9 || !AllDigits(s)) return std::nullopt;
  const std::string_view first = country == Country::kMorocco ? "67" : "567";
  if (first.find(s[0]) == std::string_view::npos) return std::nullopt;
  return "+" + cc + s;
}

}  // namespace

std::string_view ChannelName(Channel c) {
  for (const auto& [ch, name] : kChannels) {
    if (ch == c) return name;
  }
  return "cash_withdrawal";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (const auto& [ch, n] : kChannels) {
    if (n == name) return ch;
  }
  return std::nullopt;
}

std::optional<Country> CountryOfCommune(std::string_view commune_code) {
  const auto country = registry::CountryOfArea(commune_code);  // the registry's rule, one definition
  if (!country) return std::nullopt;
  return *country == registry::CountryCode::kMorocco ? Country::kMorocco : Country::kAlgeria;
}

std::size_t RibLength(Country country) { return country == Country::kMorocco ? 24 : 20; }

bool RibKeyValid(std::string_view digits) {
  if (digits.size() < 3 || !AllDigits(digits)) return false;
  const int key = (digits[digits.size() - 2] - '0') * 10 + (digits.back() - '0');
  if (key < 1 || key > 97) return false;
  // The number is too long for any integer type: its remainder digit by digit (Horner's rule).
  int rest = 0;
  for (char c : digits) rest = (rest * 10 + (c - '0')) % 97;
  return rest == 0;
}

Result<Account> ValidateAccount(const AccountInput& in, Country country) {
  std::vector<Problem> problems;
  // The field is every text's parameter too ("{field:code} is required.").
  auto problem = [&](std::string_view reason, std::string field, MessageParams params = {}) {
    params.insert(params.begin(), {"field", field});
    problems.push_back(Problem{std::string(reason), std::move(field), std::move(params), {}});
  };
  Account out;
  const auto channel = ParseChannel(in.channel);
  if (!channel) {
    problem(MsgCode("payment_account.bad_channel"), "channel", {{"value", in.channel}});
    return Failures(Code::kInvalidArgument, "form.invalid", std::move(problems));
  }
  out.channel = *channel;
  switch (*channel) {
    case Channel::kBankTransfer: {
      const std::string rib = Compact(in.rib.value_or(""));
      const std::string length = std::to_string(RibLength(country));
      if (rib.empty()) {
        problem(MsgCode("field.required"), "rib");
      } else if (rib.size() != RibLength(country) || !AllDigits(rib)) {
        problem(MsgCode("payment_account.rib_length"), "rib", {{"length", length}});
      } else if (!RibKeyValid(rib)) {
        problem(MsgCode("payment_account.rib_key"), "rib");
      } else {
        out.account = rib;
      }
      if (!in.holder_name || in.holder_name->find_first_not_of(' ') == std::string::npos) {
        problem(MsgCode("field.required"), "holder_name");
      } else if (in.holder_name->size() > 140) {  // pain.001 Cdtr/Nm is Max140Text
        problem(MsgCode("payment_account.holder_name_long"), "holder_name", {{"max", "140"}});
      } else {
        out.holder_name = *in.holder_name;
      }
      break;
    }
    case Channel::kMobileWallet: {
      if (!in.phone || in.phone->empty()) {
        problem(MsgCode("field.required"), "phone");
      } else if (auto p = MobileNumber(*in.phone, country)) {
        out.account = *p;
      } else {
        problem(MsgCode("payment_account.bad_phone"), "phone", {{"value", *in.phone}});
      }
      break;
    }
    case Channel::kCashWithdrawal:
      break;  // nothing to check: the withdrawal code is made per payment
  }
  if (!problems.empty()) return Failures(Code::kInvalidArgument, "form.invalid", std::move(problems));
  return out;
}

}  // namespace sanad::payments

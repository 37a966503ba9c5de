// Payment accounts: the RIB's length and mod-97 key, mobile numbers, the problems named by field.
#include "payments/account.h"

#include <gtest/gtest.h>

#include "payments/money.h"

namespace sanad::payments {
namespace {

constexpr const char* kMoroccanRib = "011780000001234567890187";  // key 87 = 97 - (0117…9001 × 100 mod 97)
constexpr const char* kAlgerianRib = "00799999000123456787";

TEST(RibKey, AcceptsTheKeyThatMakesTheNumberDivisibleBy97) {
  EXPECT_TRUE(RibKeyValid(kMoroccanRib));
  EXPECT_TRUE(RibKeyValid(kAlgerianRib));
  EXPECT_FALSE(RibKeyValid("011780000001234567890188"));  // wrong key
  EXPECT_FALSE(RibKeyValid("011780000001234567890817"));  // two digits swapped
  EXPECT_FALSE(RibKeyValid("011780000001234567890100"));  // key 00 is never issued
  EXPECT_FALSE(RibKeyValid("01178000000123456789018A"));
}

TEST(ValidateAccount, BankTransferNeedsARibOfTheCountryWithItsKeyAndAHolder) {
  auto ok = ValidateAccount({"bank_transfer", "011 780 0000012345678901 87", "فاطمة الزهراء", {}}, Country::kMorocco);
  ASSERT_TRUE(ok) << ok.error().reason;
  EXPECT_EQ(ok->channel, Channel::kBankTransfer);
  EXPECT_EQ(ok->account, kMoroccanRib);

  auto dz = ValidateAccount({"bank_transfer", kAlgerianRib, "Amina", {}}, Country::kAlgeria);
  ASSERT_TRUE(dz);

  auto wrong_country = ValidateAccount({"bank_transfer", kAlgerianRib, "Amina", {}}, Country::kMorocco);
  ASSERT_FALSE(wrong_country);
  ASSERT_EQ(wrong_country.error().problems.size(), 1u);
  EXPECT_EQ(wrong_country.error().problems[0].reason, "payment_account.rib_length");
  EXPECT_EQ(wrong_country.error().problems[0].field, "rib");

  auto bad = ValidateAccount({"bank_transfer", "011780000001234567890188", std::nullopt, {}}, Country::kMorocco);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Code::kInvalidArgument);
  ASSERT_EQ(bad.error().problems.size(), 2u);
  EXPECT_EQ(bad.error().problems[0].reason, "payment_account.rib_key");
  EXPECT_EQ(bad.error().problems[1].field, "holder_name");
  // The field is a parameter of the text too: "{field:code} is required." was shown as it is.
  EXPECT_EQ(bad.error().problems[1].params, (MessageParams{{"field", "holder_name"}}));
  auto no_rib = ValidateAccount({"bank_transfer", std::nullopt, "Amina", {}}, Country::kMorocco);
  ASSERT_FALSE(no_rib);
  EXPECT_EQ(no_rib.error().problems[0].params, (MessageParams{{"field", "rib"}}));
}

TEST(ValidateAccount, MobileWalletTakesANationalOrInternationalMobileNumber) {
  auto ma = ValidateAccount({"mobile_wallet", {}, {}, "06 12 34 56 78"}, Country::kMorocco);
  ASSERT_TRUE(ma);
  EXPECT_EQ(ma->account, "+212612345678");
  auto dz = ValidateAccount({"mobile_wallet", {}, {}, "+213 555 12 34 56"}, Country::kAlgeria);
  ASSERT_TRUE(dz);
  EXPECT_EQ(dz->account, "+213555123456");
  auto landline = ValidateAccount({"mobile_wallet", {}, {}, "0522123456"}, Country::kMorocco);
  ASSERT_FALSE(landline);
  EXPECT_EQ(landline.error().problems[0].field, "phone");
}

TEST(ValidateAccount, CashWithdrawalNeedsNothingAndAnUnknownChannelIsNamed) {
  EXPECT_TRUE(ValidateAccount({"cash_withdrawal", {}, {}, {}}, Country::kAlgeria));
  auto bad = ValidateAccount({"cheque", {}, {}, {}}, Country::kAlgeria);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().problems[0].field, "channel");
}

TEST(Money, WritesAndReadsMinorUnitsExactly) {
  EXPECT_EQ(FormatMinor(1), "0.01");
  EXPECT_EQ(FormatMinor(0), "0.00");
  EXPECT_EQ(FormatMinor(99999999999), "999999999.99");
  EXPECT_EQ(FormatMinor(50000), "500.00");
  EXPECT_EQ(ParseDecimalAmount("999999999.99"), 99999999999);
  EXPECT_EQ(ParseDecimalAmount("0.01"), 1);
  EXPECT_EQ(ParseDecimalAmount("12.5"), 1250);
  EXPECT_EQ(ParseDecimalAmount("12"), 1200);
  EXPECT_FALSE(ParseDecimalAmount("12."));
  EXPECT_FALSE(ParseDecimalAmount("-1.00"));
  EXPECT_FALSE(ParseDecimalAmount("1.001"));
  EXPECT_FALSE(ParseDecimalAmount("1e3"));
  EXPECT_EQ(ParseMinor("99999999999"), 99999999999);
  EXPECT_FALSE(ParseMinor("12.00"));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace sanad::payments

// Tokenising personal names with Maghrebi particles and compounds (docs/domain.md §4.1 and
// data/names/maghreb_surname_particles.csv).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sanad::text {

enum class Script { kLatin, kArabic };

// One name token after particles have been attached to what they introduce.
struct NameToken {
  std::string text;                // fused normalised form: "benali", "abdelkader", "بنعلي", "عبدالقادر"
  std::vector<std::string> parts;  // the written components in order: {"abd", "el", "kader"}; {"benali"}
};

// Splits a full name into tokens. Latin input goes through FoldLatin, Arabic input through
// NormalizeArabic (script chosen by HasArabic). Then:
//  - particles are fused with the word they introduce, so split and joined spellings meet:
//    Ben/Bin/Ibn/Bent, Ould/Ouled/Oulad, Aït/Ait/Ath/Ayt, Bou/Abou/Abu, El/Al/L and the assimilated
//    articles Es/Ed/Er/Et/En/Ez/Ech, Abd/Abdel/Abdul/Abder/…: "Ben Ali" → "benali",
//    "Abd el-Kader" → "abdelkader", "عبد القادر" → "عبدالقادر", "بن علي" → "بنعلي";
//  - honorifics (Sidi, Lalla, Hadj, Cheikh; سيدي، لالة، الحاج، الشيخ) are dropped when another word remains;
//  - register abbreviations of Mohamed (Med, Mohd, Moh) are expanded to "mohamed".
// Never fails; an empty or punctuation-only name gives no tokens. Thread-safe.
std::vector<NameToken> TokenizeName(std::string_view name);

// The texts of TokenizeName(name).
std::vector<std::string> NameTokens(std::string_view name);

// The form names are compared in, within one script: tokens of TokenizeName joined by one space, each
// Latin token further folded by PhoneticLatin ("Abdel Kader" → "abdelkader", "Mohammed" → "mohamed",
// "أحمد" → "احمد"). Empty when the name is empty.
std::string NameMatchForm(std::string_view name);

// Script of a name: Arabic when it holds any Arabic letter.
Script DetectScript(std::string_view name);

}  // namespace sanad::text

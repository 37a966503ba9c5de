// A key shared by the Arabic and Latin spellings of a Maghrebi name, so that a record holding only
// «محمد بن علي» can be compared with one holding only "Mohamed Benali".
#pragma once

#include <string>
#include <string_view>

namespace sanad::text {

// Consonant skeleton of a name in either script, one upper-case ASCII letter per consonant class,
// tokens separated by one space. Both scripts map to the same classes:
//   B=ب/b,p  T=ت ط ث/t,th  J=ج/j,dj  H=ح ه/h  X=خ/kh  D=د ذ ض ظ/d,dh  R=ر/r  Z=ز/z  S=س ص/s,c(e,i)
//   C=ش/ch,sh  G=غ/gh  F=ف ڤ/f,v,ph  K=ق ك ݣ/k,q,c,g  L=ل/l  M=م/m  N=ن/n  W=و/w,ou+vowel  Y=ي/y
//   E=ع (or hamza) inside a word / a Latin hiatus written ai, aa, ae, ea (Saïd = سعيد → SED).
// Short vowels are not written in Arabic, so vowels are dropped; long-vowel letters (ا و ي) are dropped
// except as consonants at the start of a word (Youssef, Ouarda) or as the glide of a nisba (Alaoui → LW).
// A word-initial vowel/alef/ain is dropped (Ahmed = Hmed = أحمد → HMD; Omar = عمر → MR), except the
// prosthetic alef of Moroccan names with an initial cluster (M'hamed = امحمد → AMHMD, ≠ Mohamed MHMD).
// The article assimilates before sun letters in both scripts (عبد الرحمن = Abderrahmane → BDRHMN) and
// counts as L before moon letters (الحسن = Lahcen → LHSN, ≠ Hocine HSN). Doubled classes collapse;
// a final heh/teh marbuta or Latin final vowel-h is dropped (Fatimah = فاطمة = Fatima → FTM).
// The rules are authored from docs/domain.md §4.1 and measured against data/names (see
// bench/linkage_accuracy.cpp); they are a blocking and comparison key, not a transliteration.
// Pure function, thread-safe, never fails; an empty name gives "".
std::string CrossScriptKey(std::string_view name);

}  // namespace sanad::text

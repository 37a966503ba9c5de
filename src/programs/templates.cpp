// The built-in programmes. Every amount and condition is a rule-language text over ProgrammeSchema()
// and every figure a parameter of a dated set, so a new decree is a new parameter set, not new code.
#include "programs/templates.h"

#include <string>
#include <vector>

namespace sanad::programs {
namespace {

using rules::Params;

// ---- ASD (domain.md §1.1) -------------------------------------------------------------------------
// A child: a member with the relationship "child" aged 0–20 on the period's first day.
const std::string kChild = R"(c.relationship == "child" && age(c.birth_date) < 21)";
// Birth order among the household's children, eldest first.
const std::string kRank = "c.rank_by(birth_date, " + kChild + ")";
// Currently enrolled (registry vocabulary: primary … higher); unknown schooling counts as out of school.
const std::string kInSchool = R"(c.schooling in ["primary", "lower_secondary", "upper_secondary", "higher"])";
const std::string kChildren = "members.count(c, " + kChild + ")";

// The child allowance by rank (1–3, 4–6, none beyond) and age band (0–5, 6–20 in school, out of school).
const std::string kAsdChildAllowance = "members.sum(c, " + kChild + R"(
  ? ()" + kRank + R"( <= param("asd.full_ranks")
      ? (age(c.birth_date) <= 5 ? param("asd.r1_3.young")
         : )" + kInSchool + R"( ? param("asd.r1_3.school") : param("asd.r1_3.out"))
    : )" + kRank + R"( <= param("asd.counted_children")
      ? (age(c.birth_date) <= 5 || )" + kInSchool +
                                       R"( ? param("asd.r4_6.young_or_school")
         : param("asd.r4_6.out"))
      : 0)
  : 0))";
// +100 DH per disabled child, whatever its rank (not limited by the 6-child cap).
const std::string kAsdDisability =
    "members.count(c, " + kChild +
    R"( && c.disability_percent >= param("asd.disability.min_percent")) * param("asd.disability"))";
// Children of a widowed mother heading the household, whatever their number; the amount is 0 until the
// decree confirms it (domain.md §1.1 gives only an inference).
const std::string kAsdOrphan =
    R"(members.exists(h, h.relationship == "head" && h.sex == "F" && h.marital_status == "widowed")
  ? )" +
    kChildren + R"( * param("asd.orphan_complement") : 0)";
const std::string kAsdFloorTopUp = kChildren + R"( > 0 ? max(0, param("asd.floor") - ()" + kAsdChildAllowance + " + " +
                                   kAsdDisability + " + (" + kAsdOrphan + "))) : 0";
const std::string kAsdFlat = kChildren + R"( == 0 ? param("asd.flat") : 0)";

// The school-start grant (decree 2.24.706, each September from 2024): per child enrolled in primary or
// lower-secondary school, or in upper-secondary school, at most the counted number of children, eldest first.
const std::string kSchoolChild = kChild + R"( && c.schooling in ["primary", "lower_secondary", "upper_secondary"])";
const std::string kAsdSchoolStartGrant = "members.sum(c, " + kSchoolChild + " && c.rank_by(birth_date, " +
                                         kSchoolChild + R"() <= param("asd.counted_children")
  ? (c.schooling == "upper_secondary" ? param("asd.school_grant.upper_secondary") : param("asd.school_grant.primary"))
  : 0))";

// `school_grant` is false before the school-start grant existed (its amounts are then 0).
Params AsdParams(std::int64_t full, std::int64_t out, bool school_grant) {
  return {{"asd.index_threshold", 9.743001},
          {"asd.school_grant.primary", std::int64_t{school_grant ? 200 : 0}},
          {"asd.school_grant.upper_secondary", std::int64_t{school_grant ? 300 : 0}},
          {"asd.full_ranks", std::int64_t{3}},
          {"asd.counted_children", std::int64_t{6}},
          {"asd.r1_3.young", full},
          {"asd.r1_3.school", full},
          {"asd.r1_3.out", out},
          {"asd.r4_6.young_or_school", std::int64_t{36}},
          {"asd.r4_6.out", std::int64_t{24}},
          {"asd.disability", std::int64_t{100}},
          {"asd.disability.min_percent", std::int64_t{50}},
          {"asd.orphan_complement", std::int64_t{0}},
          {"asd.floor", std::int64_t{500}},
          {"asd.flat", std::int64_t{500}}};
}

Programme Asd() {
  Programme p;
  p.is_public = true;  // offered to citizens by the public simulator
  p.code = "ASD";
  p.name_ar = "الدعم الاجتماعي المباشر";
  p.name_fr = "Aide sociale directe";
  p.name_en = "Direct social support";
  p.country = "MA";
  p.currency = "MAD";
  p.eligibility = {
      {std::string(MsgCode("program.reason.index_above_threshold")),
       R"(socio_economic_index <= param("asd.index_threshold"))",
       {{"index", "socio_economic_index"}, {"threshold", R"(param("asd.index_threshold"))"}}},
      {std::string(MsgCode("program.reason.receives_family_allowance")), "!receives_family_allowance", {}}};
  p.lines = {{std::string(MsgCode("program.line.asd.child_allowance")), kAsdChildAllowance},
             {std::string(MsgCode("program.line.asd.disability")), kAsdDisability},
             {std::string(MsgCode("program.line.asd.orphan")), kAsdOrphan},
             {std::string(MsgCode("program.line.asd.floor_top_up")), kAsdFloorTopUp},
             {std::string(MsgCode("program.line.asd.flat")), kAsdFlat}};
  p.one_offs = {{std::string(MsgCode("program.line.asd.school_start_grant")), kAsdSchoolStartGrant, 9}};
  // ANSS table: Dec 2023–2024, 2025, 2026; the school-start grant from September 2024.
  p.parameter_sets = {{{2023, 12, 1}, AsdParams(200, 150, false)},
                      {{2024, 9, 1}, AsdParams(200, 150, true)},
                      {{2025, 1, 1}, AsdParams(250, 175, true)},
                      {{2026, 1, 1}, AsdParams(300, 200, true)}};
  return p;
}

// ---- AMO Tadamon and AMO Achamil (domain.md §1.2) ---------------------------------------------------
// Dated from December 2022, when AMO Tadamon replaced RAMED; domain.md gives no other start date.
constexpr Date kAmoStart{2022, 12, 1};
constexpr double kTadamonThreshold = 9.3264284;

Programme AmoTadamon() {
  Programme p;
  p.is_public = true;  // offered to citizens by the public simulator
  p.code = "AMO_TADAMON";
  // One insurance, two regimes (free coverage below the threshold, contributory above): a household is
  // in one or the other.
  p.incompatible = {"AMO_ACHAMIL"};
  p.name_ar = "التأمين الإجباري الأساسي عن المرض \"تضامن\"";
  p.name_fr = "AMO Tadamon";
  p.name_en = "AMO Tadamon (state-paid health insurance)";
  p.country = "MA";
  p.currency = "MAD";
  p.kind = Kind::kInsurance;
  p.eligibility = {{std::string(MsgCode("program.reason.index_above_threshold")),
                    R"(socio_economic_index <= param("amo.tadamon.threshold"))",
                    {{"index", "socio_economic_index"}, {"threshold", R"(param("amo.tadamon.threshold"))"}}}};
  p.parameter_sets = {{kAmoStart, {{"amo.tadamon.threshold", kTadamonThreshold}}}};
  return p;
}

// The monthly contribution by index band: band k applies up to its upper bound, the last above all.
const std::string kAchamilContribution = R"(
socio_economic_index <= param("amo.achamil.band1.max") ? param("amo.achamil.band1.amount")
: socio_economic_index <= param("amo.achamil.band2.max") ? param("amo.achamil.band2.amount")
: socio_economic_index <= param("amo.achamil.band3.max") ? param("amo.achamil.band3.amount")
: socio_economic_index <= param("amo.achamil.band4.max") ? param("amo.achamil.band4.amount")
: socio_economic_index <= param("amo.achamil.band5.max") ? param("amo.achamil.band5.amount")
: socio_economic_index <= param("amo.achamil.band6.max") ? param("amo.achamil.band6.amount")
: socio_economic_index <= param("amo.achamil.band7.max") ? param("amo.achamil.band7.amount")
: param("amo.achamil.band8.amount"))";

Programme AmoAchamil() {
  Programme p;
  p.is_public = true;  // offered to citizens by the public simulator
  p.code = "AMO_ACHAMIL";
  p.incompatible = {"AMO_TADAMON"};
  p.name_ar = "التأمين الإجباري الأساسي عن المرض \"الشامل\"";
  p.name_fr = "AMO Achamil";
  p.name_en = "AMO Achamil (contributory health insurance)";
  p.country = "MA";
  p.currency = "MAD";
  p.kind = Kind::kInsurance;
  p.eligibility = {{std::string(MsgCode("program.reason.index_within_tadamon")),
                    R"(socio_economic_index > param("amo.tadamon.threshold"))",
                    {{"index", "socio_economic_index"}, {"threshold", R"(param("amo.tadamon.threshold"))"}}}};
  p.lines = {{std::string(MsgCode("program.line.amo_achamil.contribution")), kAchamilContribution}};
  p.parameter_sets = {{kAmoStart,
                       {{"amo.tadamon.threshold", kTadamonThreshold},
                        {"amo.achamil.band1.max", 9.5124369},
                        {"amo.achamil.band1.amount", std::int64_t{144}},
                        {"amo.achamil.band2.max", 9.743001},
                        {"amo.achamil.band2.amount", std::int64_t{176}},
                        {"amo.achamil.band3.max", 9.9903727},
                        {"amo.achamil.band3.amount", std::int64_t{224}},
                        {"amo.achamil.band4.max", 10.237316},
                        {"amo.achamil.band4.amount", std::int64_t{287}},
                        {"amo.achamil.band5.max", 10.431048},
                        {"amo.achamil.band5.amount", std::int64_t{355}},
                        {"amo.achamil.band6.max", 10.739952},
                        {"amo.achamil.band6.amount", std::int64_t{454}},
                        {"amo.achamil.band7.max", 11.013068},
                        {"amo.achamil.band7.amount", std::int64_t{611}},
                        {"amo.achamil.band8.amount", std::int64_t{1164}}}}};
  return p;
}

// ---- AFS (domain.md §2.3, decree 24-325) --------------------------------------------------------------
// The 12,000 DA category: a 100% disability card, adult or dependant under 18 (paid per person).
const std::string kAfsFull = R"(p.disability_percent >= param("afs.full_disability_percent"))";
// The 7,000 DA categories, for a person not in the 12,000 DA one: a head unable to work (a person
// living alone is the head), a woman head under 60, a person aged 60 or more not in an institution, and
// anyone with a disability card below 100% (an infirm adult, or a dependant under 18, paid per dependant).
const std::string kAfsBase =
    R"((!has(p.disability_percent) || p.disability_percent < param("afs.full_disability_percent"))
  && ((p.relationship == "head" && !p.able_to_work)
      || (p.relationship == "head" && p.sex == "F" && age(p.birth_date) < param("afs.elderly_age"))
      || (age(p.birth_date) >= param("afs.elderly_age") && !p.in_institution)
      || p.disability_percent > 0))";

Programme Afs() {
  Programme p;
  p.is_public = true;  // offered to citizens by the public simulator
  p.code = "AFS";
  p.name_ar = "المنحة الجزافية للتضامن";
  p.name_fr = "Allocation forfaitaire de solidarité";
  p.name_en = "Flat-rate solidarity allowance";
  p.country = "DZ";
  p.currency = "DZD";
  p.unit = Unit::kPerson;
  p.eligibility = {{std::string(MsgCode("program.reason.has_proven_income")), "!has_proven_income", {}},
                   {std::string(MsgCode("program.reason.no_afs_category")),
                    "members.exists(p, " + kAfsFull + " || " + kAfsBase + ")",
                    {}}};
  p.lines = {{std::string(MsgCode("program.line.afs.base")),
              "members.count(p, " + kAfsBase + R"() * param("afs.base_amount"))"},
             {std::string(MsgCode("program.line.afs.full_disability")),
              "members.count(p, " + kAfsFull + R"() * param("afs.full_amount"))"}};
  p.parameter_sets = {{{2024, 10, 1},
                       {{"afs.base_amount", std::int64_t{7000}},
                        {"afs.full_amount", std::int64_t{12000}},
                        {"afs.full_disability_percent", std::int64_t{100}},
                        {"afs.elderly_age", std::int64_t{60}}}}};
  return p;
}

}  // namespace

std::span<const Programme> BuiltinProgrammes() {
  static const std::vector<Programme> all = {Asd(), AmoTadamon(), AmoAchamil(), Afs()};
  return all;
}

const Programme* FindBuiltin(std::string_view code) {
  for (const auto& p : BuiltinProgrammes()) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

}  // namespace sanad::programs

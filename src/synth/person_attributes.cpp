// The person rows of a generated household: identity columns, birth, documents held, disability,
// schooling and education, employment, occupation and social-security fund, all driven by welfare z.
#include "synth/chunk_generator.h"

namespace sanad::synth::internal {

namespace {

// The least schooling an occupation needs; skilled occupations are redrawn for people without it.
EducationLevel RequiredLevel(Occupation o) {
  switch (o) {
    case Occupation::kTeacher:
    case Occupation::kHealthWorker:
    case Occupation::kManagerProfessional:
      return EducationLevel::kUpperSecondary;
    case Occupation::kCivilServant:
    case Occupation::kPrivateEmployee:
    case Occupation::kSecurityForces:
      return EducationLevel::kLowerSecondary;
    default:
      return EducationLevel::kNone;
  }
}

}  // namespace

void ChunkGenerator::AddPerson(const Draft& d, std::uint32_t h, std::uint16_t commune, bool urban, double z,
                               bool has_young_child) {
  auto& ps = out_.persons;
  const auto self = static_cast<std::uint32_t>(ps.household.size());
  const bool dz = ctx_.config.country == Country::kAlgeria;
  ps.household.push_back(h);
  ps.true_person.push_back(self);
  ps.relationship.push_back(d.relationship);
  ps.sex.push_back(d.sex);
  ps.given_name.push_back(d.given);
  ps.family_name.push_back(d.family);
  const auto& given = ctx_.given_refs[d.given];
  const auto& family = ctx_.surname_refs[d.family];
  ps.given_name_ar.push_back(given.arabic);
  ps.family_name_ar.push_back(family.arabic);
  ps.given_name_lat.push_back(given.latin);
  ps.family_name_lat.push_back(family.latin);
  ps.father_name_ar.push_back(ctx_.given_refs[d.father_given].arabic);
  ps.mother_given_name_ar.push_back(ctx_.given_refs[d.mother_given].arabic);
  ps.mother_family_name_ar.push_back(ctx_.surname_refs[d.mother_family].arabic);
  const int age = d.age;
  ps.birth_date.push_back(ctx_.today - (age * 365 + age / 4) - static_cast<DayNumber>(rng_.Below(365)) - 1);
  ps.birth_year_only.push_back(rng_.Chance(age >= 60 && !urban ? 0.25 : age >= 60 ? 0.08 : 0.005) ? 1 : 0);
  ps.birth_commune.push_back(
      rng_.Chance(d.relationship == Relationship::kChild || d.relationship == Relationship::kGrandchild ? 0.9 : 0.7)
          ? commune
          : static_cast<std::uint16_t>(ctx_.country_alias.Sample(rng_)));
  IdState id = IdState::kNone;
  if (dz)
    id = rng_.Chance(0.99) ? IdState::kPresent : IdState::kNone;  // NIN given at birth
  else if (age >= 18)
    id = rng_.Chance(0.97) ? IdState::kPresent : IdState::kNone;  // CIN from 18
  else if (age >= 16)
    id = rng_.Chance(0.2) ? IdState::kPresent : IdState::kNone;
  ps.national_id_state.push_back(static_cast<std::uint8_t>(id));
  const double phone_p = age >= 75 ? 0.5 : age >= 18 ? 0.92 : age >= 15 ? 0.4 : 0;
  ps.phone_state.push_back(static_cast<std::uint8_t>(rng_.Chance(phone_p) ? PhoneState::kOwn : PhoneState::kNone));
  ps.marital_status.push_back(d.marital);

  // Disability: prevalence rises with age and poverty.
  const double disability_p = (age < 15   ? 0.015
                               : age < 40 ? 0.03
                               : age < 60 ? 0.06
                               : age < 75 ? 0.12
                                          : 0.25) *
                              std::exp(-0.25 * z);
  DisabilityType disability = DisabilityType::kNone;
  std::uint8_t percent = 0;
  if (rng_.Chance(disability_p)) {
    disability = static_cast<DisabilityType>(ctx_.disability_type.Sample(rng_));
    percent = kDisabilityPercents[ctx_.disability_percent.Sample(rng_)];
  }

  // Schooling (current enrolment) and education level (highest reached).
  const bool female = d.sex == Sex::kFemale;
  const double school_shift = 0.5 * z - (percent >= 50 ? 1.5 : 0);
  auto enrolled = [&](double urban_p, double rural_p, double slope) {
    return rng_.Chance(Logistic(Logit(urban ? urban_p : rural_p) + slope * school_shift));
  };
  auto adult_level = [&] {
    const double base = 0.6 - 0.03 * (std::max(age, 25) - 25) + (urban ? 0.5 : 0) - (female && age > 40 ? 0.4 : 0);
    const double e = base + 0.8 * z + rng_.Normal();
    return e < 0     ? EducationLevel::kNone
           : e < 0.9 ? EducationLevel::kPrimary
           : e < 1.6 ? EducationLevel::kLowerSecondary
           : e < 2.3 ? EducationLevel::kUpperSecondary
                     : EducationLevel::kHigher;
  };
  Schooling schooling = Schooling::kNotApplicable;
  EducationLevel level = EducationLevel::kNone;
  if (age < 6) {
    schooling = Schooling::kNotApplicable;
  } else if (age < 12) {
    if (enrolled(0.97, 0.92, 1.0))
      schooling = Schooling::kPrimary;
    else
      schooling = age <= 7 || rng_.Chance(0.5) ? Schooling::kNone : Schooling::kOutOfSchool;
  } else if (age < 15) {
    if (enrolled(0.90, 0.72, 1.0)) {
      schooling = Schooling::kLowerSecondary;
      level = EducationLevel::kPrimary;
    } else {
      schooling = rng_.Chance(0.8) ? Schooling::kOutOfSchool : Schooling::kNone;
      level = schooling == Schooling::kNone ? EducationLevel::kNone : EducationLevel::kPrimary;
    }
  } else if (age < 18) {
    if (enrolled(0.72, 0.42, 1.4)) {
      schooling = Schooling::kUpperSecondary;
      level = EducationLevel::kLowerSecondary;
    } else {
      const double v = rng_.Uniform();
      level = v < 0.1 ? EducationLevel::kNone : v < 0.7 ? EducationLevel::kPrimary : EducationLevel::kLowerSecondary;
      schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
    }
  } else if (age < 25) {
    if (enrolled(0.35, 0.12, 1.8)) {
      schooling = Schooling::kHigher;
      level = EducationLevel::kUpperSecondary;
    } else {
      level = std::min(adult_level(), EducationLevel::kUpperSecondary);
      schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
    }
  } else {
    level = adult_level();
    schooling = level == EducationLevel::kNone ? Schooling::kNone : Schooling::kOutOfSchool;
  }

  // Employment, occupation, social security.
  EmploymentStatus employment = EmploymentStatus::kNotApplicable;
  Occupation occupation = Occupation::kNone;
  SocialSecurityFund fund = SocialSecurityFund::kNone;
  const bool in_school = schooling == Schooling::kPrimary || schooling == Schooling::kLowerSecondary ||
                         schooling == Schooling::kUpperSecondary || schooling == Schooling::kHigher;
  bool works = false;
  if (age >= 15) {
    const double v = rng_.Uniform();
    const bool severe = percent >= 60;
    if (in_school) {
      employment = EmploymentStatus::kStudent;
    } else if (age < 25) {
      if (!female)
        employment = v < 0.40   ? EmploymentStatus::kEmployed
                     : v < 0.70 ? EmploymentStatus::kUnemployed
                                : EmploymentStatus::kInactive;
      else
        employment = v < 0.12                              ? EmploymentStatus::kEmployed
                     : v < 0.20                            ? EmploymentStatus::kUnemployed
                     : d.marital == MaritalStatus::kSingle ? EmploymentStatus::kInactive
                                                           : EmploymentStatus::kHomemaker;
    } else if (age < 60) {
      if (!female) {
        const double p_work = severe ? 0.3 : 0.80 + 0.04 * z;
        employment = v < p_work          ? EmploymentStatus::kEmployed
                     : v < p_work + 0.12 ? EmploymentStatus::kUnemployed
                                         : EmploymentStatus::kInactive;
      } else {
        const double p_work = std::clamp(
            0.16 + 0.07 * z + (level >= EducationLevel::kUpperSecondary ? 0.15 : 0) - (severe ? 0.1 : 0), 0.02, 0.7);
        employment = v < p_work                                                ? EmploymentStatus::kEmployed
                     : v < p_work + 0.05                                       ? EmploymentStatus::kUnemployed
                     : d.marital == MaritalStatus::kSingle && rng_.Chance(0.5) ? EmploymentStatus::kInactive
                                                                               : EmploymentStatus::kHomemaker;
      }
    } else {
      const double retired = Logistic((female ? -2.5 : -0.6) + 1.0 * z + (urban ? 0.5 : 0) +
                                      (level >= EducationLevel::kUpperSecondary ? 1.0 : 0));
      if (v < retired)
        employment = EmploymentStatus::kRetired;
      else if (!female && age < 75 && rng_.Chance(urban ? 0.35 : 0.55))
        employment = EmploymentStatus::kEmployed;
      else
        employment = female ? EmploymentStatus::kHomemaker : EmploymentStatus::kInactive;
    }
    if (employment == EmploymentStatus::kEmployed) {
      works = true;
      // Skilled occupations need schooling: redraw a few times, then fall back to manual work.
      const auto& table = female ? ctx_.female_occupation : ctx_.male_occupation;
      for (int attempt = 0; attempt < 4; ++attempt) {
        occupation = static_cast<Occupation>(table.Sample(urban, z, rng_));
        if (level >= RequiredLevel(occupation)) break;
        if (attempt == 3) occupation = female ? Occupation::kArtisan : Occupation::kConstructionWorker;
      }
      switch (occupation) {
        case Occupation::kFarmer:
        case Occupation::kHerder:
        case Occupation::kFisher:
        case Occupation::kArtisan:
        case Occupation::kTrader:
        case Occupation::kStreetVendor:
          employment = EmploymentStatus::kSelfEmployed;
          break;
        case Occupation::kDriver:
          if (rng_.Chance(0.5)) employment = EmploymentStatus::kSelfEmployed;
          break;
        default:
          break;
      }
    }
  }
  if (works) {
    double formal = 0;
    switch (occupation) {
      case Occupation::kCivilServant:
      case Occupation::kTeacher:
      case Occupation::kHealthWorker:
      case Occupation::kSecurityForces:
        formal = 1;
        break;
      case Occupation::kPrivateEmployee:
      case Occupation::kFactoryWorker:
      case Occupation::kManagerProfessional:
        formal = Logistic(0.8 + 0.8 * z);
        break;
      default:
        formal = employment == EmploymentStatus::kSelfEmployed ? Logistic(-1.2 + 0.6 * z) : Logistic(-1.5 + 0.6 * z);
    }
    if (rng_.Chance(formal)) {
      const bool is_public = formal == 1;
      if (employment == EmploymentStatus::kSelfEmployed)
        fund = dz ? SocialSecurityFund::kCasnos : SocialSecurityFund::kCnss;
      else if (dz)
        fund = SocialSecurityFund::kCnas;
      else
        fund = is_public ? SocialSecurityFund::kCnops : SocialSecurityFund::kCnss;
    }
  } else if (employment == EmploymentStatus::kRetired) {
    fund = dz ? SocialSecurityFund::kCnr
              : (level >= EducationLevel::kUpperSecondary && rng_.Chance(0.5) ? SocialSecurityFund::kCmr
                                                                              : SocialSecurityFund::kCnss);
  }
  const bool salaried_fund =
      fund == SocialSecurityFund::kCnss || fund == SocialSecurityFund::kCnops || fund == SocialSecurityFund::kCnas;
  const bool allowances = has_young_child && employment == EmploymentStatus::kEmployed && salaried_fund &&
                          (d.relationship == Relationship::kHead || d.relationship == Relationship::kSpouse);

  ps.schooling.push_back(schooling);
  ps.education_level.push_back(level);
  ps.disability_type.push_back(disability);
  ps.disability_percent.push_back(percent);
  ps.employment_status.push_back(employment);
  ps.occupation.push_back(occupation);
  ps.social_security_fund.push_back(fund);
  ps.family_allowances.push_back(allowances ? 1 : 0);
  // Derived, without a draw (so the rest of a seed's registry stays the same): a working-age adult
  // without a severe disability is able to work; the generator makes no institution residents.
  ps.able_to_work.push_back(age >= 18 && age < 60 && percent < 50 ? 1 : 0);
  ps.in_institution.push_back(0);
}

}  // namespace sanad::synth::internal

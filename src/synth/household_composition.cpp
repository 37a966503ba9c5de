// Who lives in a generated household: composition (single, couple, nuclear, single parent, extended,
// three generations), ages, sexes, names and marital status of the members, built into members_.
#include "synth/chunk_generator.h"

namespace sanad::synth::internal {

// Children of `father` and `mother` (either may be a phantom: absent parent), youngest first drawn.
void ChunkGenerator::AddChildren(int k, const Draft& father, const Draft& mother, int mother_age, Relationship rel) {
  // Ages: the eldest was born when the mother was ~24, then spacing 1.5–5 years.
  int age = mother_age - Clamp(24 + 3.5 * rng_.Normal(), 16, 40);
  for (int i = 0; i < k && count_ < kMaxMembers && age >= 0; ++i) {
    Draft& c = Add(rel, RandomSex(), age);
    ChildOf(c, father, mother);
    c.marital = MaritalStatus::kSingle;
    if (c.age >= 18) {
      const double u = rng_.Uniform();
      if (u < 0.04 && c.sex == Sex::kFemale)
        c.marital = MaritalStatus::kDivorced;
      else if (u < 0.06)
        c.marital = MaritalStatus::kMarried;  // spouse away (migration, work)
    }
    age -= 1 + static_cast<int>(std::lround(1.0 + 2.5 * rng_.Uniform()));
  }
}

double ChunkGenerator::ChildrenLambda(const Commune& c, bool urban) const {
  const auto& p = urban ? kCompositionUrban : kCompositionRural;
  const double fixed = p[0] * 1 + p[1] * 2 + p[2] * 3 + p[3] * 2 + p[4] * 4.4 + p[5] * 4.75;
  const double per_lambda = p[2] + p[3] + p[4] + 1.2 * p[5];
  return std::clamp((c.mean_household_size - fixed) / per_lambda, 0.05, 6.0);
}

void ChunkGenerator::BuildComposition(bool urban, double lambda) {
  count_ = 0;
  const auto& probs = urban ? kCompositionUrban : kCompositionRural;
  double u = rng_.Uniform();
  int type = 0;
  while (type < 5 && u >= probs[static_cast<std::size_t>(type)]) u -= probs[static_cast<std::size_t>(type++)];
  const auto composition = static_cast<Composition>(type);
  Draft phantom_father = Add(Relationship::kOther, Sex::kMale, 40);
  Draft phantom_mother = Add(Relationship::kOther, Sex::kFemale, 40);
  count_ = 0;
  const int kids = 1 + std::min(rng_.Poisson(lambda), 11);
  switch (composition) {
    case Composition::kSingle: {
      if (rng_.Chance(0.6)) {
        const Sex sex = rng_.Chance(0.7) ? Sex::kFemale : Sex::kMale;
        Draft& h = Add(Relationship::kHead, sex, Clamp(72 + 8 * rng_.Normal(), 60, 98));
        const double m = rng_.Uniform();
        h.marital = m < 0.75 ? MaritalStatus::kWidowed : m < 0.85 ? MaritalStatus::kDivorced : MaritalStatus::kSingle;
      } else {
        const Sex sex = rng_.Chance(0.65) ? Sex::kMale : Sex::kFemale;
        Draft& h = Add(Relationship::kHead, sex, rng_.Between(22, 55));
        h.marital = rng_.Chance(0.75) ? MaritalStatus::kSingle : MaritalStatus::kDivorced;
      }
      break;
    }
    case Composition::kCouple: {
      const int age = rng_.Chance(0.6) ? Clamp(66 + 9 * rng_.Normal(), 50, 95) : rng_.Between(22, 38);
      Draft& h = Add(Relationship::kHead, Sex::kMale, age);
      h.marital = MaritalStatus::kMarried;
      Draft& s = Add(Relationship::kSpouse, Sex::kFemale, Clamp(age - 6 + 4 * rng_.Normal(), 18, 95));
      s.marital = MaritalStatus::kMarried;
      break;
    }
    case Composition::kNuclear:
    case Composition::kExtended: {
      const int first_birth = Clamp(24 + 3.5 * rng_.Normal(), 17, 38);
      const int youngest = static_cast<int>(26 * std::pow(rng_.Uniform(), 1.6));
      const int mother_age = std::min(first_birth + youngest + static_cast<int>(std::lround((kids - 1) * 2.75)), 75);
      const bool female_head = rng_.Chance(0.03);
      const int father_age = Clamp(mother_age + 6 + 4 * rng_.Normal(), 18, 95);
      Draft& h =
          Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, female_head ? mother_age : father_age);
      h.marital = MaritalStatus::kMarried;
      Draft& s =
          Add(Relationship::kSpouse, female_head ? Sex::kMale : Sex::kFemale, female_head ? father_age : mother_age);
      s.marital = MaritalStatus::kMarried;
      const Draft father = female_head ? s : h;
      const Draft mother = female_head ? h : s;
      const Draft head = h;
      // Children: re-anchor the eldest so the mother's first birth is at first_birth.
      AddChildrenFrom(kids, father, mother, mother_age - first_birth);
      if (composition == Composition::kExtended) {
        const int parents = rng_.Chance(0.2) ? 2 : 1;
        const bool mother_only = parents == 1 && rng_.Chance(0.85);
        const int base = head.age + Clamp(27 + 5 * rng_.Normal(), 18, 40);
        if (parents == 2 || !mother_only) {
          Draft& f = Add(Relationship::kParent, Sex::kMale, std::min(base + 4, 104));
          f.given = head.father_given;
          f.family = head.family;
          f.marital = parents == 2 ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
        }
        if (parents == 2 || mother_only) {
          Draft& m = Add(Relationship::kParent, Sex::kFemale, std::min(base, 104));
          m.given = head.mother_given;
          m.family = head.mother_family;
          m.marital = parents == 2 ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
        }
        if (rng_.Chance(0.2)) {
          const Sex sex = RandomSex();
          Draft& sib = Add(Relationship::kSibling, sex, Clamp(head.age + 8 * rng_.Normal(), 16, 90));
          sib.family = head.family;
          sib.father_given = head.father_given;
          sib.mother_given = head.mother_given;
          sib.mother_family = head.mother_family;
          const double m = rng_.Uniform();
          sib.marital = m < 0.8 ? MaritalStatus::kSingle : m < 0.9 ? MaritalStatus::kDivorced : MaritalStatus::kWidowed;
        }
      }
      break;
    }
    case Composition::kSingleParent: {
      const bool female_head = rng_.Chance(0.85);
      const int first_birth = Clamp(24 + 3.5 * rng_.Normal(), 17, 38);
      const int youngest = static_cast<int>(20 * std::pow(rng_.Uniform(), 1.2));
      const int parent_age = std::min(first_birth + youngest + static_cast<int>(std::lround((kids - 1) * 2.75)), 80) +
                             (female_head ? 0 : 6);
      Draft& h = Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, parent_age);
      h.marital = rng_.Chance(0.6) ? MaritalStatus::kWidowed : MaritalStatus::kDivorced;
      const Draft head = h;
      if (female_head) {
        phantom_father.family = ctx_.surname.Sample(rng_);
        AddChildrenFrom(kids, phantom_father, head, parent_age - first_birth);
      } else {
        AddChildrenFrom(kids, head, phantom_mother, parent_age - 6 - first_birth);
      }
      break;
    }
    case Composition::kThreeGeneration: {
      const int age = Clamp(66 + 7 * rng_.Normal(), 52, 95);
      const bool couple = rng_.Chance(0.75);
      const bool female_head = !couple && rng_.Chance(0.8);
      Draft& h = Add(Relationship::kHead, female_head ? Sex::kFemale : Sex::kMale, age);
      h.marital = couple ? MaritalStatus::kMarried : MaritalStatus::kWidowed;
      const Draft head = h;
      Draft wife = phantom_mother;
      Draft husband = phantom_father;
      if (couple) {
        Draft& s = Add(Relationship::kSpouse, Sex::kFemale, Clamp(age - 6 + 3 * rng_.Normal(), 40, 95));
        s.marital = MaritalStatus::kMarried;
        wife = s;
        husband = head;
      } else if (female_head) {
        wife = head;
      } else {
        husband = head;
      }
      const int mother_age = female_head ? age : wife.age;
      // The married son, his wife (relationship "other": daughter-in-law) and their children.
      Draft& son =
          Add(Relationship::kChild, Sex::kMale, std::clamp(mother_age - Clamp(26 + 4 * rng_.Normal(), 18, 40), 20, 60));
      ChildOf(son, husband, wife);
      son.marital = MaritalStatus::kMarried;
      const Draft son_copy = son;
      Draft& dil = Add(Relationship::kOther, Sex::kFemale, Clamp(son_copy.age - 5 + 3 * rng_.Normal(), 18, 60));
      dil.marital = MaritalStatus::kMarried;
      const Draft dil_copy = dil;
      const int grandchildren = 1 + std::min(rng_.Poisson(0.8 * lambda), 8);
      AddChildren(grandchildren, son_copy, dil_copy, dil_copy.age, Relationship::kGrandchild);
      const int unmarried = std::min(rng_.Poisson(0.4 * lambda), 6);
      for (int i = 0; i < unmarried && count_ < kMaxMembers; ++i) {
        const Sex sex = RandomSex();
        Draft& c = Add(Relationship::kChild, sex, std::clamp(son_copy.age - rng_.Between(2, 14), 14, 45));
        ChildOf(c, husband, wife);
        c.marital = MaritalStatus::kSingle;
      }
      break;
    }
  }
}

// k children, the eldest aged `eldest`, spacing 1.5–4 years.
void ChunkGenerator::AddChildrenFrom(int k, const Draft& father, const Draft& mother, int eldest) {
  int age = eldest;
  for (int i = 0; i < k && count_ < kMaxMembers && age >= 0; ++i) {
    Draft& c = Add(Relationship::kChild, RandomSex(), age);
    ChildOf(c, father, mother);
    c.marital = MaritalStatus::kSingle;
    if (c.age >= 20) {
      const double u = rng_.Uniform();
      if (u < 0.04 && c.sex == Sex::kFemale)
        c.marital = MaritalStatus::kDivorced;
      else if (u < 0.06)
        c.marital = MaritalStatus::kMarried;  // spouse away (migration, work)
    }
    age -= 1 + static_cast<int>(std::lround(0.5 + 2.5 * rng_.Uniform()));
  }
}

}  // namespace sanad::synth::internal

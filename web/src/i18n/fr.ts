import type { Catalog } from './ar';

// French catalogue (left-to-right). Keys must match ar.ts exactly: the type checker enforces it.
import { frShell } from './fr/shell';
import { frRegistry } from './fr/registry';
import { frFields } from './fr/fields';
import { frAdmin } from './fr/admin';
import { frSimulator } from './fr/simulator';
import { frProgrammes } from './fr/programmes';
import { frCycles } from './fr/cycles';
import { frTargeting } from './fr/targeting';
import { frPayments } from './fr/payments';
import { frMicrocredit } from './fr/microcredit';
import { frMicrocreditApply } from './fr/microcredit_apply';
import { frAffiliation } from './fr/affiliation';
import { frHouseholdScore } from './fr/household_score';
import { frEmpowerment } from './fr/empowerment';
import { frEmpowermentTraining } from './fr/empowerment_training';
import { frEmpowermentFunding } from './fr/empowerment_funding';
import { frEServices } from './fr/eservices';
import { frCases } from './fr/cases';
import { frCounselling } from './fr/counselling';
import { frCrvs } from './fr/crvs';
import { frGrievances } from './fr/grievances';

export const fr: Catalog = {
  ...frShell,
  ...frRegistry,
  ...frFields,
  ...frAdmin,
  ...frSimulator,
  ...frProgrammes,
  ...frCycles,
  ...frTargeting,
  ...frPayments,
  ...frMicrocredit,
  ...frMicrocreditApply,
  ...frAffiliation,
  ...frHouseholdScore,
  ...frEmpowerment,
  ...frEmpowermentTraining,
  ...frEmpowermentFunding,
  ...frEServices,
  ...frCases,
  ...frCounselling,
  ...frCrvs,
  ...frGrievances,
};

import type { Catalog } from './ar';

// English catalogue (left-to-right). Keys must match ar.ts exactly: the type checker enforces it.
import { enShell } from './en/shell';
import { enRegistry } from './en/registry';
import { enFields } from './en/fields';
import { enAdmin } from './en/admin';
import { enSimulator } from './en/simulator';
import { enProgrammes } from './en/programmes';
import { enCycles } from './en/cycles';
import { enTargeting } from './en/targeting';
import { enPayments } from './en/payments';
import { enMicrocredit } from './en/microcredit';
import { enMicrocreditApply } from './en/microcredit_apply';
import { enAffiliation } from './en/affiliation';
import { enHouseholdScore } from './en/household_score';
import { enEmpowerment } from './en/empowerment';
import { enEmpowermentTraining } from './en/empowerment_training';
import { enEmpowermentFunding } from './en/empowerment_funding';
import { enEServices } from './en/eservices';
import { enCases } from './en/cases';
import { enCounselling } from './en/counselling';
import { enCrvs } from './en/crvs';
import { enGrievances } from './en/grievances';

export const en: Catalog = {
  ...enShell,
  ...enRegistry,
  ...enFields,
  ...enAdmin,
  ...enSimulator,
  ...enProgrammes,
  ...enCycles,
  ...enTargeting,
  ...enPayments,
  ...enMicrocredit,
  ...enMicrocreditApply,
  ...enAffiliation,
  ...enHouseholdScore,
  ...enEmpowerment,
  ...enEmpowermentTraining,
  ...enEmpowermentFunding,
  ...enEServices,
  ...enCases,
  ...enCounselling,
  ...enCrvs,
  ...enGrievances,
};

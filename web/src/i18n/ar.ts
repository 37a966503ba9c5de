// Arabic catalogue: the default language and the reference for the message keys.
// Every user-visible string of the web app lives here and in fr.ts / en.ts.
// Placeholders are written {name}; values are formatted by the caller (numbers, dates per locale).
import { arShell } from './ar/shell';
import { arRegistry } from './ar/registry';
import { arFields } from './ar/fields';
import { arAdmin } from './ar/admin';
import { arSimulator } from './ar/simulator';
import { arProgrammes } from './ar/programmes';
import { arCycles } from './ar/cycles';
import { arTargeting } from './ar/targeting';
import { arPayments } from './ar/payments';
import { arMicrocredit } from './ar/microcredit';
import { arMicrocreditApply } from './ar/microcredit_apply';
import { arAffiliation } from './ar/affiliation';
import { arHouseholdScore } from './ar/household_score';
import { arEmpowerment } from './ar/empowerment';
import { arEmpowermentTraining } from './ar/empowerment_training';
import { arEmpowermentFunding } from './ar/empowerment_funding';
import { arEServices } from './ar/eservices';
import { arCases } from './ar/cases';
import { arCounselling } from './ar/counselling';
import { arCrvs } from './ar/crvs';
import { arGrievances } from './ar/grievances';

export const ar = {
  ...arShell,
  ...arRegistry,
  ...arFields,
  ...arAdmin,
  ...arSimulator,
  ...arProgrammes,
  ...arCycles,
  ...arTargeting,
  ...arPayments,
  ...arMicrocredit,
  ...arMicrocreditApply,
  ...arAffiliation,
  ...arHouseholdScore,
  ...arEmpowerment,
  ...arEmpowermentTraining,
  ...arEmpowermentFunding,
  ...arEServices,
  ...arCases,
  ...arCounselling,
  ...arCrvs,
  ...arGrievances,
};

export type MessageKey = keyof typeof ar;
export type Catalog = Record<MessageKey, string>;

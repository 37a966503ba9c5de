// The public programme simulator (no account): the programmes and a simulation for an unsaved household.
import { request } from './client';

export interface Program {
  code: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  country: 'MA' | 'DZ';
  currency: string;
  kind: string;
  unit: string;
  frequency: string;
}

export interface SimulationMember {
  relationship: string;
  sex: string;
  birth_date?: string;
  marital_status?: string;
  schooling?: string;
  disability_percent?: number;
  able_to_work?: boolean;
  in_institution?: boolean;
}

export interface SimulationRequest {
  period: string;
  household: {
    country: string;
    socio_economic_index?: number;
    receives_family_allowance?: boolean;
    has_proven_income?: boolean;
    members: SimulationMember[];
  };
}

export interface AmountLine {
  code: string;
  label: string;
  amount: number;
}

export interface Simulation {
  program: string;
  period: string;
  eligible: boolean;
  monthly_amount: number;
  currency: string;
  lines: AmountLine[];
  one_off: AmountLine[];
  reasons: { code: string; params: Record<string, string>; text: string }[];
}

export const programsApi = {
  list: () => request<{ items: Program[] }>('GET', '/programs', { quiet401: true }),
  simulate: (code: string, body: SimulationRequest) =>
    request<Simulation>('POST', `/programs/${encodeURIComponent(code)}/simulate`, { body, quiet401: true }),
};

// The programmes: the public list and simulator (no account), and the editor's definitions, saves,
// history and rule checker (programmes.manage).
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
  budget_minor?: number | null;
  /** Offered to citizens by the public simulator (staff see every programme). */
  public?: boolean;
  builtin?: boolean;
  version?: number;
  updated_at?: string | null;
}

export interface ProgramCondition {
  reason: string;
  rule: string;
  reason_params: { name: string; rule: string }[];
}

export interface ProgramLine {
  label: string;
  rule: string;
}

export interface ProgramOneOff extends ProgramLine {
  month: number;
}

export interface ProgramParameterSet {
  from: string;
  params: Record<string, number>;
}

/** A programme as data: the JSON the server keeps and the editor sends back (docs/programs.md). */
export interface ProgramDefinition {
  code: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  country: string;
  currency: string;
  kind: string;
  unit: string;
  frequency: string;
  budget_minor: number | null;
  incompatible: string[];
  /** Offered to citizens by the public simulator; a new programme is not until someone decides it. */
  public: boolean;
  eligibility: ProgramCondition[];
  lines: ProgramLine[];
  one_offs: ProgramOneOff[];
  parameter_sets: ProgramParameterSet[];
}

export interface StoredProgram extends ProgramDefinition {
  version: number;
  builtin: boolean;
  updated_at: string | null;
  updated_by: string | null;
}

export type RuleType = 'bool' | 'int' | 'decimal';

export interface RuleProblem {
  line: number | null;
  column: number | null;
  reason: string;
  params: Record<string, string>;
  message: string;
  expected: string | null;
  set: string | null;
}

export interface ProgramVersion {
  version: number;
  saved_at: string;
  saved_by: string;
  definition: ProgramDefinition;
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
  get: (code: string, signal?: AbortSignal) => request<StoredProgram>('GET', `/programs/${encodeURIComponent(code)}`, { signal }),
  history: (code: string) => request<{ items: ProgramVersion[] }>('GET', `/programs/${encodeURIComponent(code)}/history`),
  create: (definition: ProgramDefinition) => request<StoredProgram>('POST', '/programs', { body: definition }),
  update: (definition: ProgramDefinition, version: number) =>
    request<StoredProgram>('PUT', `/programs/${encodeURIComponent(definition.code)}`, { body: { ...definition, version } }),
  validateRule: (body: { rule: string; type: RuleType; parameter_sets?: ProgramParameterSet[] }, signal?: AbortSignal) =>
    request<{ ok: boolean; errors: RuleProblem[] }>('POST', '/rules/validate', { body, ...(signal ? { signal } : {}) }),
};

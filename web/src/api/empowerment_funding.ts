// Funding calls and applications of the empowerment platform (docs/empowerment.md §Funding calls and
// applications): staff calls, applications, reviews, committee decisions, agreement and tranches; and
// her applications by tracking code.
import { request } from './client';

export interface EmpCriterion {
  code: string;
  max_points: number;
  weight: number;
}

export interface EmpCall {
  id: number;
  code: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  region_code: string;
  year: number;
  currency: string;
  envelope_minor: number;
  opens_at: string;
  closes_at: string;
  eligibility: { kinds: string[]; situations: string[]; min_age: number; max_age: number; requires_training?: string | null };
  rubric: EmpCriterion[];
  version: number;
  committed_minor: number;
  remaining_minor: number;
  paid_minor: number;
  applications: number;
}

export interface EmpApplication {
  id: number;
  call_id: number;
  registration_id: number;
  commune_code: string;
  state: string;
  requested_minor: number;
  summary: string;
  approved_minor: number | null;
  score: number | null;
  reasons: string[];
  public_note: string | null;
  proposed_decision: string | null;
  proposed_amount_minor: number | null;
  proposed_reason: string | null;
  proposed_minutes: string | null;
  proposed_by: string | null;
  minutes: string | null;
  decided_by: string | null;
  submitted_at: string | null;
  created_at: string;
  version: number;
}

export interface EmpCallPage extends EmpCall {
  applications_list: EmpApplication[];
  by_state: Record<string, number>;
  trial_allocation: { funded: { id: number; amount_minor: number }[]; unfunded: number[]; used_minor: number; remaining_minor: number };
}

export interface EmpApplicationDetail extends EmpApplication {
  call: EmpCall;
  reviews: { reviewer: string; conflict_of_interest: boolean; points: Record<string, number>; comment: string | null; reviewed_at: string }[];
  tranches: { n: number; milestone: string; amount_minor: number; paid_on: string | null; paid_by: string | null; benefit_id: number | null; requires_training: string | null }[];
  events: { from: string | null; to: string; actor: string; at: string; note: string | null }[];
}

export interface EmpPublicApplication {
  id: number;
  call: { code: string; name_ar: string; name_fr: string; name_en: string; currency: string; closes_at: string; requires_training: string | null };
  state: string;
  requested_minor: number;
  approved_minor: number | null;
  public_note: string | null;
  submitted_at: string | null;
  reasons: string[];
  tranches: number;
  tranches_paid: number;
}

export interface EmpMine {
  applications: EmpPublicApplication[];
  open_calls: Omit<EmpCall, 'committed_minor' | 'remaining_minor' | 'paid_minor' | 'applications' | 'version'>[];
}

const byCode = (code: string) => `/public/empowerment/registrations/${encodeURIComponent(code)}/applications`;

export const empowermentFundingApi = {
  calls: () => request<{ items: EmpCall[] }>('GET', '/empowerment/calls'),
  createCall: (body: Record<string, unknown>) => request<EmpCall>('POST', '/empowerment/calls', { body }),
  call: (id: number | string) => request<EmpCallPage>('GET', `/empowerment/calls/${id}`),
  application: (id: number | string) => request<EmpApplicationDetail>('GET', `/empowerment/applications/${id}`),
  step: (id: number | string, step: string, body: Record<string, unknown> = {}) =>
    request<EmpApplication>('POST', `/empowerment/applications/${id}/${step}`, { body }),
  mine: (code: string) => request<EmpMine>('GET', byCode(code), { quiet401: true }),
  apply: (code: string, body: Record<string, unknown>) => request<{ id: number; state: string }>('POST', byCode(code), { body, quiet401: true }),
  submit: (code: string, id: number) => request<{ id: number; state: string }>('POST', `${byCode(code)}/${id}/submit`, { body: {}, quiet401: true }),
};

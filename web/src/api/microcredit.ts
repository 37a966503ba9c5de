// Micro-credit (docs/microcredit.md): applications and the committee, loans with their schedule and
// arrears, repayments, and the portfolio's quality.
import { request } from './client';
import type { ListPage } from './client';

export interface McReason {
  code: string;
  params: Record<string, string>;
  text: string;
}

export interface McApplication {
  id: number;
  person_id: number;
  commune_code: string;
  wilaya_code: string;
  product: 'PNR' | 'TRIANGULAR';
  amount: string;
  amount_minor: number;
  applied_on: string;
  activity: string;
  state: 'submitted' | 'ineligible' | 'waiting_quota' | 'approved' | 'rejected' | 'disbursed';
  reasons: McReason[];
  training_required: boolean;
  training_sessions: number;
  training_completed: boolean;
  decision_minutes: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_by: string;
  created_at: string;
  scores?: { member: string; score: number; comment: string; scored_at: string }[];
  loan_ids?: number[];
}

export interface McInstalment {
  n: number;
  due_on: string;
  principal_minor: number;
  paid_minor: number;
  unpaid_minor: number;
  days_in_arrears: number;
}

export interface McLoan {
  id: number;
  application_id: number;
  person_id: number;
  product: string;
  lender: string;
  principal_minor: number;
  currency: string;
  disbursed_on: string;
  commune_code: string;
  wilaya_code: string;
  state: 'active' | 'closed' | 'written_off';
  closed_on: string | null;
  written_off_on: string | null;
  as_of: string;
  outstanding_minor: number;
  overdue_minor: number;
  repaid_minor: number;
  days_in_arrears: number;
  bucket: string;
  instalments: McInstalment[];
  repayments: { id: number; paid_on: string; amount_minor: number; reference: string; source: string; recorded_by: string }[];
}

export interface McFigures {
  loans: number;
  active_loans: number;
  outstanding_minor: number;
  overdue_minor: number;
  par1: number;
  par30: number;
  par90: number;
  arrears_rate: number;
  repayment_rate: number;
  write_off_ratio: number;
  buckets: { bucket: string; loans: number; outstanding_minor: number }[];
}

export interface McPortfolio {
  as_of: string;
  by: string;
  total: McFigures;
  groups: (McFigures & { group: string })[];
}

export const microcreditApi = {
  applications: (state?: string) =>
    request<ListPage<McApplication>>('GET', '/microcredit/applications', { query: { state, limit: 200 } }),
  application: (id: number) => request<McApplication>('GET', `/microcredit/applications/${id}`),
  apply: (body: { person_id: number; product: string; amount: number; applied_on: string; activity: string; training_required: boolean }) =>
    request<McApplication>('POST', '/microcredit/applications', { body }),
  training: (id: number, sessions_attended: number, completed: boolean) =>
    request<McApplication>('POST', `/microcredit/applications/${id}/training`, { body: { sessions_attended, completed } }),
  score: (id: number, score: number, comment: string) =>
    request<unknown>('POST', `/microcredit/applications/${id}/scores`, { body: { score, comment } }),
  decide: (id: number, decision: 'approve' | 'reject', minutes: string) =>
    request<McApplication>('POST', `/microcredit/applications/${id}/decision`, { body: { decision, minutes } }),
  disburse: (id: number, disbursed_on: string) =>
    request<{ loan_ids: number[] }>('POST', `/microcredit/applications/${id}/disburse`, { body: { disbursed_on } }),
  loan: (id: number, as_of?: string) => request<McLoan>('GET', `/microcredit/loans/${id}`, { query: { as_of } }),
  repay: (id: number, paid_on: string, amount: number, reference: string) =>
    request<McLoan>('POST', `/microcredit/loans/${id}/repayments`, { body: { paid_on, amount, reference } }),
  portfolio: (as_of: string | undefined, by: string) =>
    request<McPortfolio>('GET', '/microcredit/portfolio', { query: { as_of, by } }),
};

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

/** What a citizen reads by tracking code (no name, no id). */
export interface McPreStatus {
  status: string; // received | rejected | the application's state once converted
  product: 'PNR' | 'TRIANGULAR';
  estimated_cost: number;
  preview: McReason[];
  eligible_on_preview: boolean;
  public_notes: { body: string; written_at: string }[];
  created_at: string;
  updated_at: string;
}

export interface McPreRegistration {
  id: number;
  status: 'received' | 'converted' | 'rejected';
  public_status: string;
  given_name_ar: string | null;
  family_name_ar: string | null;
  given_name_lat: string | null;
  family_name_lat: string | null;
  birth_date: string;
  national_id: string;
  sex: 'M' | 'F';
  wilaya_code: string;
  commune_code: string;
  phone: string;
  education: string | null;
  product: 'PNR' | 'TRIANGULAR';
  project_idea: string;
  estimated_cost: number;
  preview: McReason[];
  application_id: number | null;
  application_state: string | null;
  reject_reason: string | null;
  decided_by: string | null;
  created_at: string;
}

export interface McTask {
  id: number;
  loan_id: number;
  kind: 'field_visit' | 'phone_call' | 'promise_to_pay';
  assigned_to: string | null;
  due_on: string;
  state: 'open' | 'done';
  outcome: string | null;
  promised_amount_minor: number | null;
  promised_on: string | null;
  promise_state: 'pending' | 'kept' | 'broken' | null;
  days_in_arrears: number;
  commune_code: string;
  source: 'officer' | 'nightly';
  created_by: string;
  created_at: string;
  closed_by: string | null;
  closed_at: string | null;
}

export interface McNewTask {
  kind: string;
  due_on: string;
  assigned_to?: string;
  promised_amount?: number;
  promised_on?: string;
}

export const microcreditApi = {
  loanTasks: (loan: number) => request<{ items: McTask[] }>('GET', `/microcredit/loans/${loan}/tasks`),
  addTask: (loan: number, body: McNewTask) => request<McTask>('POST', `/microcredit/loans/${loan}/tasks`, { body }),
  tasks: (query: { assigned?: string; state?: string }, signal?: AbortSignal) =>
    request<ListPage<McTask>>('GET', '/microcredit/tasks', { query: { ...query, limit: 100 }, signal }),
  closeTask: (id: number, outcome: string) => request<McTask>('POST', `/microcredit/tasks/${id}/close`, { body: { outcome } }),
  preRegister: (body: Record<string, unknown>) =>
    request<McPreStatus & { tracking_code: string }>('POST', '/public/microcredit/pre-registrations', { body, quiet401: true }),
  preStatus: (code: string) =>
    request<McPreStatus>('GET', `/public/microcredit/pre-registrations/${encodeURIComponent(code)}`, { quiet401: true }),
  preRegistrations: (status?: string, signal?: AbortSignal) =>
    request<ListPage<McPreRegistration>>('GET', '/microcredit/pre-registrations', { query: { status, limit: 200 }, signal }),
  convertPre: (id: number, person_id: number, training_required: boolean) =>
    request<McPreRegistration>('POST', `/microcredit/pre-registrations/${id}/convert`, { body: { person_id, training_required } }),
  notePre: (id: number, body: string, isPublic: boolean) =>
    request<unknown>('POST', `/microcredit/pre-registrations/${id}/notes`, { body: { body, public: isPublic } }),
  rejectPre: (id: number, reason: string) =>
    request<McPreRegistration>('POST', `/microcredit/pre-registrations/${id}/reject`, { body: { reason } }),
  applications: (state?: string, signal?: AbortSignal) =>
    request<ListPage<McApplication>>('GET', '/microcredit/applications', { query: { state, limit: 200 }, signal }),
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
  loan: (id: number, as_of?: string, signal?: AbortSignal) => request<McLoan>('GET', `/microcredit/loans/${id}`, { query: { as_of }, signal }),
  repay: (id: number, paid_on: string, amount: number, reference: string) =>
    request<McLoan>('POST', `/microcredit/loans/${id}/repayments`, { body: { paid_on, amount, reference } }),
  portfolio: (as_of: string | undefined, by: string, signal?: AbortSignal) =>
    request<McPortfolio>('GET', '/microcredit/portfolio', { query: { as_of, by }, signal }),
};

// Grievances and appeals (docs/grievances.md): the public form, status and appeal by tracking code (no
// account), and the staff list, grievance page and acts; alternative-care placements of children in
// cases (docs/cases.md#placements).
import { request } from './client';
import type { ListPage, Query } from './client';

export const GRIEVANCE_CATEGORIES = [
  'exclusion_error',
  'wrong_amount',
  'payment_not_received',
  'staff_conduct',
  'case_handling',
  'other',
] as const;
export type GrievanceCategory = (typeof GRIEVANCE_CATEGORIES)[number];
export const GRIEVANCE_STATUSES = ['received', 'under_review', 'resolved', 'appealed', 'appeal_decided', 'closed'] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];
export const GRIEVANCE_OUTCOMES = ['upheld', 'partly_upheld', 'rejected'] as const;
export const GRIEVANCE_CHANNELS = ['web', 'phone', 'counter', 'worker'] as const;

export interface GrievanceInput {
  category: string;
  description: string;
  commune_code?: string;
  complainant_name?: string;
  complainant_phone?: string;
  national_id?: string;
  household_ref?: string;
  payment_reference?: string;
  // Staff only.
  channel?: string;
  programme?: string;
  cycle_id?: number;
  household_id?: number;
  payment_id?: number;
  end_to_end_id?: string;
  case_id?: number;
}

export interface GrievanceFiled {
  tracking_code: string;
  status: GrievanceStatus;
  category: GrievanceCategory;
  due_at: string | null;
}

export interface PublicGrievance {
  category: GrievanceCategory;
  status: GrievanceStatus;
  received_at: string;
  due_at: string | null;
  outcome: string | null;
  resolution: string | null;
  resolved_at: string | null;
  appealed_at: string | null;
  appeal_outcome: string | null;
  appeal_decision: string | null;
  can_appeal: boolean;
  appeal_deadline: string | null;
}

export interface Grievance {
  id: number;
  channel: string;
  category: GrievanceCategory;
  description: string;
  complainant_name: string | null;
  complainant_phone: string | null;
  national_id: string | null;
  household_ref: string | null;
  payment_reference: string | null;
  link_kind: 'none' | 'decision' | 'payment' | 'case' | 'household';
  programme: string | null;
  cycle_id: number | null;
  household_id: number | null;
  payment_id: number | null;
  case_id: number | null;
  commune_code: string;
  status: GrievanceStatus;
  sla_days: number;
  due_at: string | null;
  overdue: boolean;
  escalated_at: string | null;
  filed_at: string;
  filed_by: string | null;
  reviewer: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  outcome: string | null;
  resolution: string | null;
  internal_note: string | null;
  appealed_at: string | null;
  appealed_by: string | null;
  appeal_reason: string | null;
  appeal_decided_at: string | null;
  appeal_decided_by: string | null;
  appeal_outcome: string | null;
  appeal_decision: string | null;
  closed_at: string | null;
  closed_by: string | null;
  tracking_code?: string;
}

export interface GrievanceEvent {
  id: number;
  at: string;
  by: string | null;
  kind: string;
  details: Record<string, unknown>;
}

export type GrievancePage = Grievance & { timeline: GrievanceEvent[] };

export const grievancesApi = {
  file: (body: GrievanceInput) => request<GrievanceFiled>('POST', '/public/grievances', { body, quiet401: true }),
  status: (code: string, signal?: AbortSignal) =>
    request<PublicGrievance>('GET', `/public/grievances/${encodeURIComponent(code)}`, { quiet401: true, signal }),
  appealByCode: (code: string, reason: string) =>
    request<PublicGrievance>('POST', `/public/grievances/${encodeURIComponent(code)}/appeal`, { body: { reason }, quiet401: true }),
  list: (query: Query, signal?: AbortSignal) => request<ListPage<Grievance>>('GET', '/grievances', { query, signal }),
  get: (id: number) => request<GrievancePage>('GET', `/grievances/${id}`),
  fileForCitizen: (body: GrievanceInput) => request<Grievance>('POST', '/grievances', { body }),
  review: (id: number) => request<Grievance>('POST', `/grievances/${id}/review`, { body: {} }),
  resolve: (id: number, outcome: string, resolution: string, internal_note?: string) =>
    request<Grievance>('POST', `/grievances/${id}/resolve`, { body: { outcome, resolution, ...(internal_note ? { internal_note } : {}) } }),
  appeal: (id: number, reason: string) => request<Grievance>('POST', `/grievances/${id}/appeal`, { body: { reason } }),
  decideAppeal: (id: number, outcome: string, decision: string) =>
    request<Grievance>('POST', `/grievances/${id}/appeal-decision`, { body: { outcome, decision } }),
  close: (id: number) => request<Grievance>('POST', `/grievances/${id}/close`, { body: {} }),
};

export const PLACEMENT_KINDS = ['foster_family', 'kafala', 'institution'] as const;

export interface PlacementVisit {
  id: number;
  visit_date: string;
  worker: string;
  note: string;
  next_visit: string | null;
  recorded_at: string;
}

export interface Placement {
  id: number;
  case_id: number;
  person_id: number | null;
  kind: (typeof PLACEMENT_KINDS)[number];
  carer: string;
  start_date: string;
  end_date: string | null;
  status: 'active' | 'ended';
  next_visit_due: string | null;
  overdue: boolean;
  commune_code: string;
  case_owner: string;
  visits: PlacementVisit[];
}

export const placementsApi = {
  ofCase: (caseId: number) => request<{ items: Placement[] }>('GET', `/cases/${caseId}/placements`),
  add: (caseId: number, body: { kind: string; carer: string; start_date: string; person_id?: number }) =>
    request<Placement>('POST', `/cases/${caseId}/placements`, { body }),
  visit: (id: number, body: { visit_date: string; note: string; next_visit?: string }) =>
    request<Placement>('POST', `/placements/${id}/visits`, { body }),
  end: (id: number, end_date: string) => request<Placement>('POST', `/placements/${id}/end`, { body: { end_date } }),
  overdue: () => request<{ items: Placement[]; total: number }>('GET', '/placements/overdue'),
};

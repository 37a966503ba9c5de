// Case management (docs/cases.md): cases within the caller's reach, a case with its checklist,
// timeline and notes, and the acts recorded on it.
import { request } from './client';
import type { ListPage } from './client';

export const CASE_TYPES = [
  'elderly_person',
  'homeless_person',
  'child_at_risk',
  'woman_in_difficulty',
  'person_with_disability',
  'family_in_crisis',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_STAGES = ['intake', 'assessment', 'plan', 'services', 'follow_up', 'closed'] as const;
export const CASE_OUTCOMES = ['resolved', 'referred_out', 'moved_away', 'deceased', 'refused_services', 'unreachable'] as const;

export interface SocialCase {
  id: number;
  case_type: CaseType;
  origin: 'report' | 'walk_in' | 'referral';
  origin_ref: string | null;
  commune_code: string;
  unit: string | null;
  summary: string;
  status: 'open' | 'closed';
  stage: (typeof CASE_STAGES)[number];
  stage_since: string;
  due_at: string | null;
  overdue: boolean;
  escalation_level: number;
  owner: string;
  supervisor: string | null;
  transfer_to: string | null;
  person_id: number | null;
  household_id: number | null;
  outcome: string | null;
  opened_at: string;
  opened_by: string;
  shared_with: string[];
}

export interface ChecklistItem {
  item: string;
  required: boolean;
  answer: 'yes' | 'no' | 'unknown' | null;
  comment?: string | null;
  answered_at?: string;
  answered_by?: string;
}

export interface CaseEvent {
  id: number;
  at: string;
  by: string;
  kind: string;
  details: Record<string, unknown>;
}

export interface CaseNote {
  id: number;
  confidential: boolean;
  topic: string | null;
  text: string | null;
  readable: boolean;
  written_at: string;
  written_by: string;
}

export const CHILD_FLAGS = ['early_marriage_risk', 'school_dropout', 'violence', 'abandonment'] as const;

export interface ChildFlag {
  flag: (typeof CHILD_FLAGS)[number];
  person_id: number | null;
  since: string;
  raised_by: string;
}

// A child of compulsory-schooling age out of school in the caller's area (GET /cases/dropout-candidates).
export interface DropoutCandidate {
  person_id: number;
  household_id: number;
  given_name_ar: string | null;
  family_name_ar: string | null;
  given_name_lat: string | null;
  family_name_lat: string | null;
  birth_date: string;
  schooling: string;
  commune_code: string;
  open_case_id: number | null;
}

export interface CasePage extends SocialCase {
  child_flags: ChildFlag[];
  checklist: ChecklistItem[];
  timeline: CaseEvent[];
  notes: CaseNote[];
  may_read_confidential: boolean;
}

export interface CaseFilters {
  status?: string;
  type?: string;
  area?: string;
  overdue?: string;
  limit?: number;
  offset?: number;
}

const act = (id: number, what: string, body: unknown) => request<SocialCase>('POST', `/cases/${id}/${what}`, { body });

export const casesApi = {
  dropoutCandidates: () => request<{ items: DropoutCandidate[] }>('GET', '/cases/dropout-candidates', { query: { limit: 200 } }),
  list: (f: CaseFilters, signal?: AbortSignal) => request<ListPage<SocialCase>>('GET', '/cases', { query: { ...f }, signal }),
  get: (id: number) => request<CasePage>('GET', `/cases/${id}`),
  open: (body: Record<string, unknown>) => request<SocialCase>('POST', '/cases', { body }),
  answer: (id: number, item: string, answer: string) => act(id, 'answers', { item, answer }),
  plan: (id: number, goals: string) => act(id, 'plan', { goals }),
  service: (id: number, body: Record<string, unknown>) => act(id, 'services', body),
  visit: (id: number, date: string, summary: string) => act(id, 'visits', summary ? { date, summary } : { date }),
  close: (id: number, outcome: string) => act(id, 'close', { outcome }),
  reopen: (id: number, reason: string) => act(id, 'reopen', { reason }),
  link: (id: number, person_id: number) => act(id, 'link', { person_id }),
  refer: (id: number, username: string) => act(id, 'refer', { username }),
  transfer: (id: number, to: string) => act(id, 'transfer', { to }),
  acceptTransfer: (id: number) => act(id, 'transfer/accept', {}),
  childFlag: (id: number, flag: string, person_id: number | null, cleared: boolean) =>
    act(id, 'child-flags', person_id ? { flag, person_id, cleared } : { flag, cleared }),
  note: (id: number, text: string, confidential: boolean, topic: string | null) =>
    request<{ id: number }>('POST', `/cases/${id}/notes`, { body: confidential ? { text, confidential, topic } : { text } }),
};

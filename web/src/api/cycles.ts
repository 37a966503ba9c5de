// Programme cycles (docs/cycles.md): generation jobs, the cycles, their entries, approval and discard.
import { request } from './client';
import type { ListPage } from './client';

export type CycleState = 'draft' | 'approved' | 'paid' | 'closed' | 'discarded';

export interface CodedText {
  reason: string;
  params: Record<string, string>;
  text: string;
}

export interface Cycle {
  id: number;
  programme: string;
  period: string;
  cut_off: string;
  state: CycleState;
  currency: string;
  programme_digest: string;
  households_considered: number;
  households_eligible: number;
  households_flagged: number;
  total_minor: number;
  one_off_total_minor: number;
  generated_at: string;
  generated_by: string;
  approved_at: string | null;
  approved_by: string | null;
  paid_at: string | null;
  closed_at: string | null;
  version: number;
}

export interface RegionTotals {
  region: string;
  households_considered: number;
  households_eligible: number;
  households_flagged: number;
  total_minor: number;
  one_off_total_minor: number;
}

export interface CycleDetail extends Cycle {
  scope_area: string | null;
  regions: RegionTotals[];
  approve_blocked: CodedText | null;
}

export interface CycleJob {
  id: number;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  programme: string;
  period: string;
  progress_done: number;
  progress_total: number;
  stage: string;
  stage_text: string | null;
  cycle_id: number | null;
  error_code: string | null;
  error: string | null;
}

export interface CycleEntry {
  household_id: number;
  household_version: number;
  commune_code: string;
  payee_person_id: number | null;
  eligible: boolean;
  amount_minor: number;
  one_off_minor: number;
  /** Lines, one-offs, reasons (with their text) and the inputs the amounts came from, as computed. */
  details: Record<string, unknown>;
  flags: CodedText[];
}

export const cyclesApi = {
  list: (query: { programme?: string; state?: string }, signal?: AbortSignal) =>
    request<ListPage<Cycle>>('GET', '/cycles', { query: { ...query, limit: 100 }, signal }),
  get: (id: number | string, signal?: AbortSignal) => request<CycleDetail>('GET', `/cycles/${id}`, { signal }),
  generate: (programme: string, period: string) =>
    request<{ job?: CycleJob; cycle?: Cycle }>('POST', `/programs/${encodeURIComponent(programme)}/cycles`, { body: { period } }),
  job: (id: number, signal?: AbortSignal) => request<CycleJob>('GET', `/cycle-jobs/${id}`, { signal }),
  entries: (id: number | string, query: { eligible?: string; flagged?: string; limit: number; offset: number }, signal?: AbortSignal) =>
    request<ListPage<CycleEntry>>('GET', `/cycles/${id}/entries`, { query, signal }),
  approve: (id: number, acknowledgeFlags: boolean) =>
    request<Cycle>('POST', `/cycles/${id}/approve`, { body: { acknowledge_flags: acknowledgeFlags } }),
  discard: (id: number) => request<Cycle>('POST', `/cycles/${id}/discard`, { body: {} }),
};

// Client of the deduplication API (/api/v1/linkage): jobs, the review queue, the cross-programme check.
import { request } from './api';
import type { ListPage, Person } from './api';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface LinkageJob {
  id: number;
  status: JobStatus;
  stage: string;
  /** The stage in the request's language (Accept-Language). */
  stage_text?: string;
  area_code: string | null;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  records: number;
  pairs_compared: number;
  candidate_pairs: number;
  matches: number;
  review: number;
  proposed: number;
  seconds: number;
  error: string | null;
}

export interface Contribution {
  comparison: string;
  level: number;
  label: string;
  /** The comparison and its level in the request's language; absent on pairs proposed before they existed. */
  comparison_text?: string;
  label_text?: string;
  value_a: string;
  value_b: string;
  m: number;
  u: number;
  /** log2 Bayes factor of this field, term-frequency adjustment included. */
  weight: number;
  tf_adjustment: number;
}

export interface Explanation {
  prior: number;
  weight: number;
  probability: number;
  fields: Contribution[];
}

export type CandidatePerson = Person & { household_ref?: string; commune_code?: string };
export type CandidateStatus = 'pending' | 'confirmed' | 'rejected';

export interface Candidate {
  id: number;
  job_id: number;
  status: CandidateStatus | 'confirming';
  band: 'match' | 'review';
  weight: number;
  probability: number;
  change_request_id: number | null;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
  created_at: string;
  explanation: Explanation | null;
  a: CandidatePerson;
  b: CandidatePerson;
}

export interface Conflict {
  person_id: number;
  household_id: number;
  household_ref: string;
  commune_code: string;
  given_name_ar: string | null;
  family_name_ar: string | null;
  given_name_lat: string | null;
  family_name_lat: string | null;
  national_id: string | null;
  birth_date: string | null;
  programme_last_date: string;
  programme_payments: number;
  other_sources: { kind: 'registry' | 'list'; name?: string }[];
}

/** The orders of the review queue (the server's allow-list): the match score, when the pair was proposed. */
export const CANDIDATE_SORTS = ['score', 'created_at'] as const;

const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

export const linkage = {
  jobs(signal?: AbortSignal): Promise<ListPage<LinkageJob>> {
    return request<ListPage<LinkageJob>>('GET', '/linkage/jobs', { query: { limit: 5 }, ...opt(signal) });
  },
  job(id: number, signal?: AbortSignal): Promise<LinkageJob> {
    return request<LinkageJob>('GET', `/linkage/jobs/${id}`, opt(signal));
  },
  startJob(): Promise<LinkageJob> {
    return request<LinkageJob>('POST', '/linkage/jobs');
  },
  cancelJob(id: number): Promise<LinkageJob> {
    return request<LinkageJob>('POST', `/linkage/jobs/${id}/cancel`);
  },
  /** sort: a column of CANDIDATE_SORTS, "-" first for descending; without it the highest score first. */
  candidates(query: { status: CandidateStatus; limit: number; offset: number; sort?: string }, signal?: AbortSignal): Promise<ListPage<Candidate>> {
    return request<ListPage<Candidate>>('GET', '/linkage/candidates', { query, ...opt(signal) });
  },
  confirm(id: number, keep: number, comment: string): Promise<Candidate> {
    return request<Candidate>('POST', `/linkage/candidates/${id}/confirm`, { body: comment ? { keep, comment } : { keep } });
  },
  /** The comment saying why is required. */
  reject(id: number, comment: string): Promise<Candidate> {
    return request<Candidate>('POST', `/linkage/candidates/${id}/reject`, { body: { comment } });
  },
  /** Undoes a rejection: the pair is pending again. */
  reopen(id: number): Promise<Candidate> {
    return request<Candidate>('POST', `/linkage/candidates/${id}/reopen`, { body: {} });
  },
  conflicts(rule: string, limit: number, offset: number, signal?: AbortSignal): Promise<ListPage<Conflict>> {
    return request<ListPage<Conflict>>('GET', '/linkage/cross-programme', { query: { rule, limit, offset }, ...opt(signal) });
  },
};

// Targeting simulation (aggregates.read): a programme with candidate parameters against the registry's
// latent consumption, by region, run as a job on the server.
import { buildUrl, request } from './client';

export type ParamValue = number;

export interface TargetingDefaults {
  programme: string;
  period: string;
  currency: string;
  poverty_line: number;
  parameters: Record<string, ParamValue>;
}

export interface ScenarioMeasures {
  covered_households: number;
  covered_persons: number;
  coverage_rate: number;
  monthly_cost_minor: number | null;
  one_off_cost_minor: number;
  yearly_cost_minor: number;
  inclusion_error: number | null;
  exclusion_error: number | null;
}

export interface TargetingRow {
  region?: string;
  households: number;
  persons: number;
  measured_households: number;
  poor_households: number;
  poor_persons: number;
  baseline: ScenarioMeasures;
  candidate: ScenarioMeasures;
}

export interface TargetingResult {
  programme: string;
  period: string;
  currency: string;
  frequency: string;
  poverty_line: number;
  area: string | null;
  overrides: Record<string, ParamValue>;
  parameters: { baseline: Record<string, ParamValue>; candidate: Record<string, ParamValue> };
  regions: TargetingRow[];
  total: TargetingRow;
}

export interface TargetingJob {
  id: number;
  programme: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number };
  started_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: TargetingResult | null;
  error: string | null;
}

export interface TargetingRequest {
  period: string;
  overrides: Record<string, ParamValue>;
  poverty_line?: number;
}

const base = (code: string) => `/programs/${encodeURIComponent(code)}/targeting-simulation`;

export const targetingApi = {
  defaults: (code: string, period: string, signal?: AbortSignal) =>
    request<TargetingDefaults>('GET', `${base(code)}/defaults`, { query: { period }, ...(signal ? { signal } : {}) }),
  start: (code: string, body: TargetingRequest) => request<TargetingJob>('POST', base(code), { body }),
  job: (code: string, id: number, signal?: AbortSignal) =>
    request<TargetingJob>('GET', `${base(code)}/${id}`, signal ? { signal } : {}),
  /** The address of the result's CSV (a download link: the browser sends the session cookie). */
  csvUrl: (code: string, id: number) => buildUrl(`${base(code)}/${id}/result.csv`),
};

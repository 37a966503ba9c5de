// A household's socio-economic index ("why this score") and its eligibility for each programme.
import { request } from './client';
import type { AmountLine } from './programs';

export interface ScoreEntry {
  score: number;
  model: string;
  model_version: string;
  scored_on: string;
  scored_at: string;
}

export interface HouseholdScore {
  household_id: number;
  /** null: not scored yet. */
  score: number | null;
  model?: string;
  model_version?: string;
  scored_on?: string;
  scored_at?: string;
  /** Part label → its share of the score (intercept, region, variable[=category][/per][@area]), computed
   * again from the model version and the registry as it was when scored; null when that cannot be done. */
  contributions?: Record<string, number> | null;
  /** Why there are no contributions: score.why.model_not_kept or score.why.registry_differs. */
  why_unavailable?: string;
  history: ScoreEntry[];
}

export interface ProgrammeEligibility {
  code: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  currency: string;
  frequency: string;
  eligible: boolean;
  monthly_amount: number;
  lines: AmountLine[];
  one_off: AmountLine[];
  reasons: { code: string; params: Record<string, string>; text: string }[];
}

export interface HouseholdEligibility {
  household_id: number;
  period: string;
  items: ProgrammeEligibility[];
}

const path = (id: number | string) => `/households/${encodeURIComponent(String(id))}`;

export const householdScoreApi = {
  score: (id: number | string, signal?: AbortSignal) => request<HouseholdScore>('GET', `${path(id)}/score`, signal ? { signal } : {}),
  eligibility: (id: number | string, period?: string, signal?: AbortSignal) =>
    request<HouseholdEligibility>('GET', `${path(id)}/eligibility${period ? `?period=${encodeURIComponent(period)}` : ''}`, signal ? { signal } : {}),
};

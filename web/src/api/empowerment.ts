// Women's empowerment (docs/empowerment.md): the public registration and status by tracking code, and
// the staff's registrations, files and cooperatives.
import { request } from './client';
import type { ListPage } from './client';

export type EmpowermentKind = 'auto_entrepreneur' | 'cooperative_member';

export interface EmpowermentStatus {
  status: 'incomplete' | 'complete';
  kind: EmpowermentKind;
  missing: string[];
  public_notes: { body: string; written_at: string }[];
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface EmpowermentRegistration {
  id: number;
  status: 'incomplete' | 'complete';
  kind: EmpowermentKind;
  auto_entrepreneur_number: string | null;
  cooperative: { id: number | null; name: string; registration_number: string; sector: string | null } | null;
  given_name_ar: string | null;
  family_name_ar: string | null;
  given_name_lat: string | null;
  family_name_lat: string | null;
  birth_date: string;
  national_id: string | null;
  phone: string;
  commune_code: string;
  education: string | null;
  situations: string[];
  skills: string[];
  project_idea: string | null;
  missing: string[];
  person_id: number | null;
  person_probability: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
}

export interface EmpowermentFile extends EmpowermentRegistration {
  probable_duplicates: { id: number; probability: number; found_at: string }[];
  notes: { id: number; public: boolean; body: string; written_at: string; written_by: string }[];
}

export const empowermentApi = {
  register: (body: Record<string, unknown>) =>
    request<EmpowermentStatus & { tracking_code: string }>('POST', '/public/empowerment/registrations', { body, quiet401: true }),
  status: (code: string) =>
    request<EmpowermentStatus>('GET', `/public/empowerment/registrations/${encodeURIComponent(code)}`, { quiet401: true }),
  complete: (code: string, body: Record<string, unknown>) =>
    request<EmpowermentStatus>('PATCH', `/public/empowerment/registrations/${encodeURIComponent(code)}`, { body, quiet401: true }),
  list: (query: { status?: string; duplicates?: string; limit?: number; offset?: number }, signal?: AbortSignal) =>
    request<ListPage<EmpowermentRegistration>>('GET', '/empowerment/registrations', { query, signal }),
  get: (id: number | string) => request<EmpowermentFile>('GET', `/empowerment/registrations/${id}`),
  addNote: (id: number | string, body: string, isPublic: boolean) =>
    request<unknown>('POST', `/empowerment/registrations/${id}/notes`, { body: { body, public: isPublic } }),
};

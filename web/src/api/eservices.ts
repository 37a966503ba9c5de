// Citizen e-services (docs/eservices.md): the public report form, status by tracking code and commune
// picker (no account), and the staff triage: units, queues, acknowledgement, notes, the overdue board.
import { request } from './client';

export type ServiceCode = 'elderly_in_danger' | 'homeless_person' | 'family_counselling';
export const SERVICE_CODES: readonly ServiceCode[] = ['elderly_in_danger', 'homeless_person', 'family_counselling'];

export interface ReportInput {
  service_code: ServiceCode;
  commune_code: string;
  lat?: number;
  long?: number;
  description?: string;
  apparent_state?: string;
  immediate_danger?: boolean;
  topic?: string;
  counselling_channel?: 'phone' | 'video' | 'in_person';
  preferred_times?: string;
  white_army?: boolean;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

export interface Submitted {
  tracking_code: string;
  service_request_id: string;
  status: string;
}

export interface PublicStatus {
  service_code: ServiceCode;
  commune_code: string;
  status: string;
  acknowledged: boolean;
  received_at: string;
  updated_at: string;
  notes: { body: string; created_at: string }[];
  // The social case opened from the report: where it stands, never its content.
  case: { status: 'open' | 'closed'; stage: string; stage_since: string } | null;
}

export interface PublicCommune {
  code: string;
  name_ar: string;
  name_fr: string;
  lat: number | null;
  lon: number | null;
}

export interface StaffReport {
  id: number;
  service_request_id: string;
  service_code: ServiceCode;
  channel: string;
  commune_code: string;
  region_code: string;
  lat: number | null;
  long: number | null;
  description: string;
  apparent_state: string | null;
  immediate_danger: boolean;
  topic: string | null;
  counselling_channel: string | null;
  preferred_times: string | null;
  white_army: boolean;
  counsellor_pool: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  status: string;
  unit_id: number | null;
  unit_code: string | null;
  dispatch: string;
  ack_deadline: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
  over_limit: boolean;
  duplicate_of: number | null;
  entered_by: string | null;
  case_ref: string | null;
  created_at: string;
}

export interface MobileUnit {
  id: number;
  code: string;
  name: string;
  base_commune: string;
  communes: string[];
  mine: boolean;
}

export const eservicesApi = {
  submit: (body: ReportInput) => request<Submitted>('POST', '/public/reports', { body, quiet401: true }),
  status: (code: string, signal?: AbortSignal) =>
    request<PublicStatus>('GET', `/public/reports/${encodeURIComponent(code)}`, { quiet401: true, signal }),
  communes: (q: string, signal?: AbortSignal) =>
    request<{ items: PublicCommune[] }>('GET', '/public/communes', {
      query: { q, limit: 20 },
      quiet401: true,
      ...(signal ? { signal } : {}),
    }),
  enterPhoned: (body: ReportInput) => request<Submitted>('POST', '/eservices/reports', { body }),
  units: () => request<{ items: MobileUnit[] }>('GET', '/eservices/units'),
  queue: (unit: number, signal?: AbortSignal) => request<{ items: StaffReport[] }>('GET', `/eservices/units/${unit}/queue`, { signal }),
  pool: (pool: string, signal?: AbortSignal) => request<{ items: StaffReport[] }>('GET', `/eservices/pools/${pool}/queue`, { signal }),
  overdue: (signal?: AbortSignal) => request<{ items: StaffReport[] }>('GET', '/eservices/overdue', { signal }),
  acknowledge: (id: number) => request<StaffReport>('POST', `/eservices/reports/${id}/acknowledge`, { body: {} }),
  note: (id: number, body: string, isPublic: boolean) =>
    request<unknown>('POST', `/eservices/reports/${id}/notes`, { body: { body, public: isPublic } }),
};

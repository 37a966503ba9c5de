// Trainings of the empowerment platform (docs/empowerment.md#trainings): sessions, enrolments,
// attendance per day; certificates are plain links (GET …/certificates/{id}.pdf?lang=ar|fr).
import { request } from './client';

export type TrainingTopic = 'digital_skills' | 'business_creation' | 'management' | 'other';
export type AttendanceMark = 'present' | 'absent' | 'excused';

export interface Training {
  id: number;
  topic: TrainingTopic;
  title_ar: string;
  title_fr: string;
  title_en: string | null;
  trainers: { name: string; username: string | null }[];
  capacity: number;
  commune_code: string;
  address: string | null;
  online_link: string | null;
  starts_at: string;
  ends_at: string;
  days: string[];
  days_to_complete: number;
  registered: number;
  waiting: number;
  completed: number;
  seats_left: number;
}

export interface TrainingEnrolment {
  registration_id: number;
  given_name: string;
  family_name: string;
  status: 'registered' | 'waiting' | 'cancelled' | 'completed';
  enrolled_at: string;
  completed_on: string | null;
  attendance: Record<string, AttendanceMark>;
}

export interface TrainingSheet extends Training {
  enrolments: TrainingEnrolment[];
}

export const trainingApi = {
  list: (query: { from?: string; to?: string; topic?: string }, signal?: AbortSignal) =>
    request<{ items: Training[] }>('GET', '/empowerment/trainings', { query, signal }),
  create: (body: Record<string, unknown>) => request<Training>('POST', '/empowerment/trainings', { body }),
  get: (id: number | string) => request<TrainingSheet>('GET', `/empowerment/trainings/${id}`),
  enrol: (id: number | string, registrationId: number) =>
    request<{ status: string }>('POST', `/empowerment/trainings/${id}/enrolments`, { body: { registration_id: registrationId } }),
  cancel: (id: number | string, registrationId: number) =>
    request<{ promoted: number | null }>('DELETE', `/empowerment/trainings/${id}/enrolments/${registrationId}`),
  attendance: (id: number | string, day: string, marks: { registration_id: number; mark: AttendanceMark }[]) =>
    request<TrainingSheet>('PUT', `/empowerment/trainings/${id}/attendance`, { body: { day, marks } }),
};

export function certificateUrl(training: number, registrationId: number, lang: 'ar' | 'fr'): string {
  return `/api/v1/empowerment/trainings/${training}/certificates/${registrationId}.pdf?lang=${lang}`;
}

export interface EmpowermentVisit {
  id: number;
  kind: 'accompaniment' | 'monitoring';
  visited_on: string;
  visitor: string;
  notes: string | null;
  next_step: string | null;
  next_step_due: string | null;
  milestone_months: number | null;
  activity_running: boolean | null;
  monthly_income: number | null;
  jobs_created: number | null;
}

export const visitApi = {
  list: (registrationId: number | string) =>
    request<{ activity_started_on: string | null; items: EmpowermentVisit[] }>('GET', `/empowerment/registrations/${registrationId}/visits`),
  add: (registrationId: number | string, body: Record<string, unknown>) =>
    request<EmpowermentVisit>('POST', `/empowerment/registrations/${registrationId}/visits`, { body }),
  setStart: (registrationId: number | string, startedOn: string) =>
    request<unknown>('PUT', `/empowerment/registrations/${registrationId}/activity-start`, { body: { started_on: startedOn } }),
};

export interface FundedFigures {
  currency: string;
  approved_minor: number;
  agreed_minor: number;
  paid_minor: number;
  approved_applications: number;
}

export interface EmpowermentFigures {
  women: { commune_code: string; kind: string; status: 'complete' | 'incomplete'; women: number }[];
  applications: { commune_code: string; state: string; applications: number }[];
  funded: (FundedFigures & { commune_code: string })[];
  funded_by_province: (FundedFigures & { province_code: string })[];
  // Communes and their provinces by code: names in Arabic and French (the reference areas).
  areas: Record<string, { name_ar: string; name_fr: string; province_code: string | null }>;
  trainings: { topic: TrainingTopic; registered: number; attended: number; completed: number }[];
  activities: { monitored_at_12_months: number; running_at_12_months: number };
}

export const figuresApi = {
  get: () => request<EmpowermentFigures>('GET', '/empowerment/figures'),
};

// Her staff file beyond the registration: applications, trainings, ledger lines (null: not linked to a
// registry person, or the person is outside the reader's area).
export interface EmpowermentFileOverview {
  registration_id: number;
  person_id: number | null;
  applications: {
    id: number;
    call: { id: number; code: string; name_ar: string; name_fr: string; name_en: string; currency: string } | null;
    state: string;
    requested_minor: number;
    approved_minor: number | null;
    submitted_at: string | null;
    tranches: { n: number; milestone: string; planned_minor: number; paid_on: string | null; benefit_id: number | null }[];
  }[];
  trainings: {
    training_id: number;
    topic: TrainingTopic;
    title_ar: string;
    title_fr: string;
    starts_at: string;
    ends_at: string;
    status: string;
    completed_on: string | null;
    days_present: number;
    certificates: number;
  }[];
  ledger: { id: number; programme: string; kind: string; date: string; amount_minor: number | null; currency: string | null; reference: string; source: string }[] | null;
}

export const fileOverviewApi = {
  get: (id: number | string) => request<EmpowermentFileOverview>('GET', `/empowerment/registrations/${id}/overview`),
};

export interface EmpowermentOverdue {
  as_of: string;
  next_steps: { visit_id: number; registration_id: number; given_name: string; family_name: string; commune_code: string; next_step: string; due: string }[];
  monitoring: { registration_id: number; given_name: string; family_name: string; commune_code: string; activity_started_on: string; milestone_months: number; due: string }[];
}

export const overdueApi = {
  get: (asOf?: string, signal?: AbortSignal) =>
    request<EmpowermentOverdue>('GET', '/empowerment/visits/overdue', { query: asOf ? { as_of: asOf } : {}, signal }),
};

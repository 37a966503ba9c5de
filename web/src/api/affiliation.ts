// Affiliation of non-salaried workers (docs/affiliation.md): contribution preview, imported lists and the
// review queue of the affiliations they propose, workers with their declarations, campaign figures.
import { ApiError, buildUrl, request, sessionHeaders, toApiError } from './client';
import type { ListPage } from './client';

export interface ContributionPreview {
  fund: string;
  year: number;
  currency: string;
  declared_base: number;
  base: number;
  contribution: number;
  contribution_minor: number;
  floor_base: number;
  ceiling_base: number;
  monthly_reference_wage: number;
  clamped: 'floor' | 'ceiling' | null;
  declare_by: string;
  due_from: string;
  due_by: string;
}

export interface AffiliationPerson {
  id?: number;
  given_name_ar?: string | null;
  family_name_ar?: string | null;
  given_name_lat?: string | null;
  family_name_lat?: string | null;
  father_name_ar?: string | null;
  sex?: string | null;
  birth_date?: string | null;
  national_id?: string | null;
  birth_commune_code?: string | null;
  phone?: string | null;
}

export interface AffiliationList {
  id: number;
  name: string;
  fund: string;
  status: 'queued' | 'matched' | 'failed';
  rows_total: number;
  matched: number;
  proposed: number;
  already_affiliated: number;
  previously_rejected: number;
  uploaded_at: string;
  uploaded_by: string;
}

export interface AffiliationProposal {
  id: number;
  list_id: number;
  list_name: string;
  record_id: string;
  commune_code: string;
  fund: string;
  activity: string;
  registration_number: string | null;
  weight: number;
  status: 'pending' | 'accepted' | 'rejected';
  comment: string | null;
  worker_id: number | null;
  list_person: AffiliationPerson;
  person: AffiliationPerson;
}

export interface AffiliationDeclaration {
  id: number;
  year: number;
  currency: string;
  declared_base_minor: number;
  base_minor: number;
  contribution_minor: number;
  paid_minor: number;
  outstanding_minor: number;
  declared_on: string;
  due_from?: string;
  due_by?: string;
  declared_late?: boolean;
  status?: 'paid' | 'not_due' | 'due' | 'arrears';
}

export interface AffiliationWorker {
  id: number;
  person: AffiliationPerson;
  commune_code: string;
  fund: string;
  activity: string;
  status: string;
  registration_number: string | null;
  affiliated_on: string;
  declarations?: AffiliationDeclaration[];
  arrears_minor?: number;
  as_of?: string;
}

export interface CampaignCommune {
  commune_code: string;
  contacted: number;
  affiliated_after_contact: number;
  affiliated: number;
}

export const affiliationApi = {
  preview: (fund: string, year: number, declaredBase: number) =>
    request<ContributionPreview>('POST', '/affiliation/contribution-preview', {
      body: { fund, year, declared_base: declaredBase },
    }),
  lists: (signal?: AbortSignal) => request<{ items: AffiliationList[] }>('GET', '/affiliation/lists', { signal }),
  /** The micro-credit borrowers whose business is active, as a list matched and reviewed like a file. */
  listFromMicrocredit: (fund: string) =>
    request<AffiliationList>('POST', '/affiliation/lists/from-microcredit', { query: { fund } }),
  proposals: (status: string, signal?: AbortSignal) =>
    request<ListPage<AffiliationProposal>>('GET', '/affiliation/proposals', { query: { status, limit: 100 }, signal }),
  accept: (id: number) => request<AffiliationProposal>('POST', `/affiliation/proposals/${id}/accept`),
  reject: (id: number, comment: string) =>
    request<AffiliationProposal>('POST', `/affiliation/proposals/${id}/reject`, { body: { comment } }),
  workers: () => request<ListPage<AffiliationWorker>>('GET', '/affiliation/workers', { query: { limit: 200 } }),
  worker: (id: string, signal?: AbortSignal) => request<AffiliationWorker>('GET', `/affiliation/workers/${id}`, { signal }),
  declare: (id: string, year: number, declaredBase: number) =>
    request<AffiliationDeclaration>('POST', `/affiliation/workers/${id}/declarations`, {
      body: { year, declared_base: declaredBase },
    }),
  pay: (declaration: number, amountMinor: number) =>
    request<AffiliationDeclaration>('POST', `/affiliation/declarations/${declaration}/payments`, {
      body: { amount_minor: amountMinor },
    }),
  contact: (personId: number, channel: string) =>
    request<{ id: number }>('POST', '/affiliation/contacts', { body: { person_id: personId, channel } }),
  campaign: (signal?: AbortSignal) =>
    request<{ communes: CampaignCommune[]; totals: Omit<CampaignCommune, 'commune_code'> }>('GET', '/affiliation/campaign', { signal }),
  /** Sends a list (CSV) as it is; a refused file rejects with the line named. */
  importList: async (name: string, fund: string, file: File): Promise<AffiliationList> => {
    const headers = sessionHeaders('POST');
    headers['Content-Type'] = 'text/csv';
    let response: Response;
    try {
      response = await fetch(buildUrl('/affiliation/lists', { name, fund }), {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: file,
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    const text = await response.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      throw toApiError(response.status, response.statusText, data, response.headers.get('X-Request-Id'), response.headers.get('Retry-After'));
    }
    return data as AffiliationList;
  },
};

// Social registry: households, persons, change requests, benefits, imports.
import { ApiError, buildUrl, reportUnauthorized, request, sessionHeaders, toApiError } from './client';
import type { ListPage } from './client';

/** A person record (field names are the registry's columns, docs/data-formats.md). */
export interface Person {
  id: number;
  record_id: string | null;
  household_id: number;
  relationship: string;
  given_name_ar: string | null;
  family_name_ar: string | null;
  given_name_lat: string | null;
  family_name_lat: string | null;
  father_name_ar: string | null;
  mother_name_ar: string | null;
  sex: 'M' | 'F';
  birth_date: string;
  birth_commune_code: string | null;
  national_id: string | null;
  phone: string | null;
  marital_status: string | null;
  schooling: string | null;
  education_level: string | null;
  disability_type: string | null;
  disability_percent: number | null;
  occupation: string | null;
  employment_status: string | null;
  social_security_fund: string | null;
  social_security_number: string | null;
  family_allowances: boolean | null;
  able_to_work: boolean | null;
  in_institution: boolean | null;
  status: string;
  exit_reason: string | null;
  version: number;
  merged_into: number | null;
  /** Name search only: the index's ranking score. */
  score?: number;
  /** The household's commune, when the server adds it to search results. */
  commune_code?: string | null;
  [field: string]: unknown;
}

export interface Household {
  id: number;
  ref: string | null;
  source_ref: string | null;
  commune_code: string;
  urban: boolean;
  status: string;
  exit_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  members: Person[];
  /** Present on as-of reads. */
  as_of?: string;
  [field: string]: unknown;
}

/** One field a change set, typed as the field (null = empty; no before on a record's first version). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** One record a change wrote: the household or a person who belonged to it. */
export interface HistoryRecord {
  record_type: 'household' | 'person';
  record_id: number;
  version: number;
  ref: string | null;
  /** Persons: their names in this version. */
  person?: Partial<Person>;
  changes: FieldChange[];
}

/** One applied change, with every field it changed. */
export interface HistoryEvent {
  at: string;
  change_request_id: number | null;
  kind: string;
  author: string;
  reviewer: string;
  /** Null when the reader's area does not cover every area the change touched. */
  summary: string | null;
  records: HistoryRecord[];
}

export interface Benefit {
  id: number;
  person_id: number | null;
  household_id: number | null;
  programme: string;
  kind: string;
  date: string;
  amount_minor: number | null;
  currency: string | null;
  quantity: number | null;
  unit: string | null;
  reference: string;
  source: string;
  recorded_at: string;
  recorded_by: string;
}

export type ChangeStatus = 'pending' | 'applied' | 'rejected' | 'withdrawn';

/** Something a reviewer must see before deciding, e.g. reason person.national_id_in_use with the other holder. */
export interface ChangeWarning {
  reason: string;
  message: string;
  field: string;
  /** The other holder, when the caller's scope covers them. */
  person_id?: number;
}

export interface ChangeRequest {
  id: number;
  kind: string;
  status: ChangeStatus;
  author: string;
  created_at: string;
  /** In the language of the request (rendered by the server from summary_code and summary_params). */
  summary: string;
  /** The catalogue code of the summary and its parameters; null for requests filed before summaries had codes. */
  summary_code: string | null;
  summary_params: Record<string, string> | null;
  area_code: string | null;
  item_count: number;
  reviewer: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
  conflicts_with: number[];
  /** Computed for the caller when filing and when reviewing (never stored). */
  warnings?: ChangeWarning[];
  payload?: Record<string, unknown>;
  /** Detail only: the records the request touches, as they are now. */
  current?: { households: Household[]; persons: Person[] };
}

export interface PersonQuery {
  q?: string;
  national_id?: string;
  phone?: string;
  area?: string;
  include_inactive?: string;
  /** A column of PERSON_SORTS, "-" first for descending: orders the whole result, not one page. */
  sort?: string;
  limit?: number;
  offset?: number;
}

/** The columns a person search can be sorted by (the server's allow-list). */
export const PERSON_SORTS = ['record_id', 'name_ar', 'name_lat', 'birth_date', 'national_id'] as const;

export type ImportKind = 'households' | 'persons' | 'households-with-members';

/** A warning or error of an import row: a catalogue code, its parameters and the server's text. */
export interface ImportNote {
  row?: number;
  column: string;
  value: string;
  reason: string;
  params: Record<string, string>;
  message: string;
}

/** A staged row of an import request, as its reviewer sees it. */
export interface ImportRow {
  /** Position in the import (1 = its first data row). */
  row: number;
  household_ref: string | null;
  commune_code: string | null;
  household?: Record<string, unknown>;
  person?: Record<string, unknown>;
  warnings: ImportNote[];
}

export interface ImportRowsPage extends ListPage<ImportRow> {
  kind: string;
  status: ChangeStatus;
  communes: { commune_code: string; rows: number; households: number }[];
}

/** One rejected cell or row of an import file. */
export interface ImportError {
  row: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

/** What the server answered to an upload, normalised (the two outcomes share this shape). */
export interface ImportOutcome {
  status: number;
  changeRequest: ChangeRequest | null;
  warnings: string[];
  rows: number | null;
  rejectedRows: number | null;
  errors: ImportError[];
  reportId: string | null;
  error: ApiError | null;
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * Reads the answer of POST /imports/{kind} (src/api/import_routes.cpp): 201 {change_request, warnings, rows}
 * or 422 {error, report: {id, rows_total, rows_rejected, errors: [{row, column, value, reason}], download}}.
 */
function importOutcome(status: number, body: Record<string, unknown> | null, error: ApiError | null): ImportOutcome {
  const b = body ?? {};
  const report = (b['report'] ?? {}) as Record<string, unknown>;
  const cr = (b['change_request'] ?? null) as ChangeRequest | null;
  const rawWarnings = (b['warnings'] ?? []) as unknown[];
  const rawErrors = (report['errors'] ?? []) as unknown[];
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : v !== undefined && v !== null && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
  return {
    status,
    changeRequest: cr,
    warnings: Array.isArray(rawWarnings)
      ? rawWarnings.map((w) =>
          typeof w === 'string' ? w : [str((w as Record<string, unknown>)['column']), str((w as Record<string, unknown>)['message'] ?? (w as Record<string, unknown>)['reason'])].filter(Boolean).join(': '),
        )
      : [],
    rows: num(b['rows'] ?? report['rows_total'] ?? cr?.item_count),
    rejectedRows: num(report['rows_rejected']),
    errors: Array.isArray(rawErrors)
      ? rawErrors.map((e) => {
          const o = e as Record<string, unknown>;
          return { row: num(o['row']), column: str(o['column']), value: str(o['value']), reason: str(o['message'] ?? o['reason']) ?? '' };
        })
      : [],
    reportId: report['id'] !== undefined && report['id'] !== null ? String(report['id']) : null,
    error,
  };
}

export const registry = {
  persons(query: PersonQuery, signal?: AbortSignal): Promise<ListPage<Person>> {
    return request<ListPage<Person>>('GET', '/persons', { query: { ...query }, ...(signal ? { signal } : {}) });
  },
  person(id: number | string, signal?: AbortSignal): Promise<Person> {
    return request<Person>('GET', `/persons/${encodeURIComponent(String(id))}`, signal ? { signal } : {});
  },
  /** Households in the caller's scope (the list's total counts them). */
  households(limit: number, signal?: AbortSignal): Promise<ListPage<Household>> {
    return request<ListPage<Household>>('GET', '/households', { query: { limit }, ...(signal ? { signal } : {}) });
  },
  household(id: number | string, asOf?: string, signal?: AbortSignal): Promise<Household> {
    return request<Household>('GET', `/households/${encodeURIComponent(String(id))}`, {
      query: { as_of: asOf },
      ...(signal ? { signal } : {}),
    });
  },
  history(id: number | string, signal?: AbortSignal): Promise<ListPage<HistoryEvent>> {
    return request<ListPage<HistoryEvent>>('GET', `/households/${encodeURIComponent(String(id))}/history`, signal ? { signal } : {});
  },
  benefits(id: number | string, signal?: AbortSignal): Promise<ListPage<Benefit>> {
    return request<ListPage<Benefit>>('GET', `/households/${encodeURIComponent(String(id))}/benefits`, signal ? { signal } : {});
  },
  changeRequests(
    query: { status?: ChangeStatus; limit?: number; offset?: number; household_id?: number },
    signal?: AbortSignal,
  ): Promise<ListPage<ChangeRequest>> {
    return request<ListPage<ChangeRequest>>('GET', '/change-requests', { query, ...(signal ? { signal } : {}) });
  },
  /** The staged rows of an import request, a page at a time (GET /change-requests/{id}/rows). */
  importRows(id: number | string, query: { limit: number; offset: number }, signal?: AbortSignal): Promise<ImportRowsPage> {
    return request<ImportRowsPage>('GET', `/change-requests/${encodeURIComponent(String(id))}/rows`, {
      query,
      ...(signal ? { signal } : {}),
    });
  },
  changeRequest(id: number | string, signal?: AbortSignal): Promise<ChangeRequest> {
    return request<ChangeRequest>('GET', `/change-requests/${encodeURIComponent(String(id))}`, signal ? { signal } : {});
  },
  propose(kind: string, payload: Record<string, unknown>): Promise<ChangeRequest> {
    return request<ChangeRequest>('POST', '/change-requests', { body: { kind, payload } });
  },
  approve(id: number, comment: string, acknowledgeConflicts: boolean, notSamePerson = false): Promise<ChangeRequest> {
    const body: Record<string, unknown> = {};
    if (comment) body['comment'] = comment;
    if (acknowledgeConflicts) body['acknowledge_conflicts'] = true;
    if (notSamePerson) body['national_id_decision'] = 'not_same_person';
    return request<ChangeRequest>('POST', `/change-requests/${id}/approve`, { body });
  },
  reject(id: number, comment: string): Promise<ChangeRequest> {
    return request<ChangeRequest>('POST', `/change-requests/${id}/reject`, { body: { comment } });
  },
  /** The caller's own requests (GET /me/change-requests). */
  myRequests(
    query: { status?: ChangeStatus; limit?: number; offset?: number },
    signal?: AbortSignal,
  ): Promise<ListPage<ChangeRequest>> {
    return request<ListPage<ChangeRequest>>('GET', '/me/change-requests', { query, ...(signal ? { signal } : {}) });
  },
  withdraw(id: number, comment: string): Promise<ChangeRequest> {
    return request<ChangeRequest>('POST', `/change-requests/${id}/withdraw`, { body: comment ? { comment } : {} });
  },
  exportUrl(format: 'csv' | 'xlsx', query: PersonQuery): string {
    // The export is the whole result in the registry's order: no page, no sort.
    const { limit: _l, offset: _o, sort: _s, ...filters } = query;
    return buildUrl('/exports/persons', { format, ...filters });
  },
  /** The import template of a level: its columns and one example row (GET /imports/template). */
  templateUrl(kind: ImportKind, format: 'csv' | 'xlsx'): string {
    return buildUrl('/imports/template', { level: kind === 'households-with-members' ? 'both' : kind, format });
  },
  reportUrl(reportId: string): string {
    return buildUrl(`/imports/reports/${encodeURIComponent(reportId)}`);
  },
  /**
   * Uploads a CSV or XLSX file as the raw request body (XMLHttpRequest, for upload progress events).
   * Resolves with the outcome for 201 and 422 (the two answers the page explains); rejects otherwise.
   */
  upload(
    kind: ImportKind,
    file: File,
    onProgress: (loaded: number, total: number) => void,
  ): { promise: Promise<ImportOutcome>; abort: () => void } {
    const xhr = new XMLHttpRequest();
    const promise = new Promise<ImportOutcome>((resolve, reject) => {
      xhr.open('POST', buildUrl(`/imports/${kind}`, { file_name: file.name }));
      xhr.withCredentials = true;
      for (const [name, value] of Object.entries(sessionHeaders('POST'))) xhr.setRequestHeader(name, value);
      const type =
        file.type ||
        (/\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
      xhr.setRequestHeader('Content-Type', type);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'));
      xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      xhr.onload = () => {
        const requestId = xhr.getResponseHeader('X-Request-Id');
        let body: Record<string, unknown> | null = null;
        try {
          body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : null;
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(importOutcome(xhr.status, body, null));
          return;
        }
        const err = toApiError(xhr.status, xhr.statusText, body, requestId, xhr.getResponseHeader('Retry-After'));
        if (xhr.status === 401) reportUnauthorized();
        if (xhr.status === 422) resolve(importOutcome(xhr.status, body, err));
        else reject(err);
      };
      xhr.send(file);
    });
    return { promise, abort: () => xhr.abort() };
  },
};

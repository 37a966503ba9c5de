// Thin client for the Sanad JSON API (/api/v1). The session lives in an HttpOnly cookie set by the
// server; the CSRF token returned at login (and by /auth/me) is kept in memory only and sent on every
// state-changing request.

export type Country = 'MA' | 'DZ';
export type AreaLevel = 'region' | 'province' | 'commune';

export interface User {
  id: number | string;
  username: string;
  roles: string[];
  area_code: string | null;
  /** Listed accounts (GET /users): whether the account may sign in. */
  active?: boolean;
  created_at?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: unknown;
}

export interface AuditQuery {
  user?: string;
  action?: string;
  record_type?: string;
  record_id?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  first_broken_id: number | null;
  reason: string;
}

export interface Area {
  code: string;
  country: Country;
  level: AreaLevel;
  parent_code: string | null;
  name_ar: string;
  name_fr: string;
  lat: number | null;
  lon: number | null;
  population: number | null;
  valid_from: string | null;
  valid_to: string | null;
  /** Finer type where the data has one: prefecture / province / prefecture_of_arrondissements (MA
   *  provinces), urban / rural (MA communes), wilaya (DZ). */
  kind?: string | null;
  households?: number | null;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  /** False when the server stopped counting (a capped name search): "more than {total}". */
  total_exact?: boolean;
  limit: number;
  offset: number;
}

export interface AreaDetail {
  area: Area;
  parents: Area[];
}

export interface Session {
  user: User;
  csrf_token: string;
  expires_at?: string;
  /** An administrator set the password: the session may only change it. */
  must_change_password?: boolean;
}

/** One problem among several the server reports at once (a form with many fields wrong). */
export interface Problem {
  reason: string;
  params: Record<string, string>;
  field: string | null;
  /** The server's rendering in the Accept-Language it was sent. */
  message: string;
}

/** An API failure: an HTTP error with the server's {"error": {...}} body, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly requestId: string | null = null,
    /** Seconds from the Retry-After header (429, 503), when present. */
    readonly retryAfter: number | null = null,
    /** Finer cause from the server, e.g. "password.too_short": a code of the message catalogues. */
    readonly reason: string | null = null,
    /** The values the reason's text is rendered with. */
    readonly params: Record<string, string> = {},
    /** Every problem, when the server reports several at once. */
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/v1';
let csrfToken: string | null = null;
let acceptLanguage = 'ar';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  acceptLanguage = lang;
}

/** Called when an authenticated request answers 401 (session expired or revoked). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | null | undefined>;

/** The URL of an API path with its query (empty values left out): also used for download links. */
export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const when = Date.parse(value); // HTTP-date form
  return Number.isNaN(when) ? null : Math.max(0, Math.round((when - Date.now()) / 1000));
}

interface ErrorBody {
  code?: string;
  message?: string;
  field?: string;
  reason?: string;
  params?: Record<string, unknown>;
  problems?: { reason?: string; params?: Record<string, unknown>; field?: string; message?: string }[];
}

function stringParams(p: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = String(v);
  return out;
}

/** The ApiError for an HTTP error answer: the server's {"error": {...}} body when it sent one. */
export function toApiError(status: number, _statusText: string, data: unknown, requestId: string | null, retryAfter: string | null): ApiError {
  const err = (data as { error?: ErrorBody } | null)?.error;
  const problems: Problem[] = Array.isArray(err?.problems)
    ? err.problems.map((p) => ({
        reason: p.reason ?? '',
        params: stringParams(p.params),
        field: p.field ?? null,
        message: p.message ?? '',
      }))
    : [];
  return new ApiError(
    status,
    err?.code ?? `http_${status}`,
    // No sentence of our own when the server sent none: the status line is English whatever the page.
    err?.message ?? '',
    err?.field ?? null,
    requestId,
    parseRetryAfter(retryAfter),
    err?.reason ?? null,
    stringParams(err?.params),
    problems,
  );
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not raise the global "session expired" signal on 401 (login, me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage,
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }

  const requestId = response.headers.get('X-Request-Id');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw toApiError(response.status, response.statusText, data, requestId, response.headers.get('Retry-After'));
  }
  if (data === null) {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response that is not JSON.', null, requestId);
  }
  return data as T;
}

export const api = {
  login(username: string, password: string): Promise<Session> {
    return request<Session>('POST', '/auth/login', { body: { username, password }, quiet401: true });
  },
  me(): Promise<Session> {
    return request<Session>('GET', '/auth/me', { quiet401: true });
  },
  logout(): Promise<void> {
    return request<void>('POST', '/auth/logout', { quiet401: true });
  },
  changePassword(current_password: string, new_password: string): Promise<void> {
    // A wrong current password answers 401: that is a form error, not an expired session.
    return request<void>('POST', '/me/password', { body: { current_password, new_password }, quiet401: true });
  },
  areas(
    query: {
      country?: Country;
      level?: AreaLevel;
      parent?: string;
      as_of?: string;
      q?: string;
      limit?: number;
      offset?: number;
    },
    signal?: AbortSignal,
  ): Promise<ListPage<Area>> {
    return request<ListPage<Area>>('GET', '/areas', { query, ...(signal ? { signal } : {}) });
  },
  users(limit: number, offset: number, signal?: AbortSignal): Promise<ListPage<User>> {
    return request<ListPage<User>>('GET', '/users', { query: { limit, offset }, ...(signal ? { signal } : {}) });
  },
  createUser(body: { username: string; password: string; roles: string[]; area_code?: string }): Promise<User> {
    return request<User>('POST', '/users', { body });
  },
  updateUser(id: number | string, body: { roles?: string[]; area_code?: string | null; active?: boolean }): Promise<User> {
    return request<User>('PATCH', `/users/${encodeURIComponent(String(id))}`, { body });
  },
  resetPassword(id: number | string, password: string): Promise<void> {
    return request<void>('POST', `/users/${encodeURIComponent(String(id))}/password`, { body: { password } });
  },
  audit(query: AuditQuery, signal?: AbortSignal): Promise<ListPage<AuditEntry>> {
    return request<ListPage<AuditEntry>>('GET', '/audit', { query: { ...query }, ...(signal ? { signal } : {}) });
  },
  verifyAudit(): Promise<VerifyReport> {
    return request<VerifyReport>('POST', '/audit/verify', { body: {} });
  },
  area(code: string, asOf?: string, signal?: AbortSignal): Promise<AreaDetail> {
    return request<AreaDetail>('GET', `/areas/${encodeURIComponent(code)}`, {
      query: { as_of: asOf },
      ...(signal ? { signal } : {}),
    });
  },
};

// ---------------------------------------------------------------------------------------------------
// Social registry: households, persons, change requests, benefits, imports.

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
  summary: string;
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
  summary: string;
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
  limit?: number;
  offset?: number;
}

export type ImportKind = 'households' | 'persons';

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
    query: { status?: ChangeStatus; limit?: number; offset?: number },
    signal?: AbortSignal,
  ): Promise<ListPage<ChangeRequest>> {
    return request<ListPage<ChangeRequest>>('GET', '/change-requests', { query, ...(signal ? { signal } : {}) });
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
    const { limit: _l, offset: _o, ...filters } = query;
    return buildUrl('/exports/persons', { format, ...filters });
  },
  /** The import template of a level: its columns and one example row (GET /imports/template). */
  templateUrl(level: ImportKind | 'both', format: 'csv' | 'xlsx'): string {
    return buildUrl('/imports/template', { level, format });
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
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Accept-Language', acceptLanguage);
      const type =
        file.type ||
        (/\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
      xhr.setRequestHeader('Content-Type', type);
      if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
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
        if (xhr.status === 401) onUnauthorized?.();
        if (xhr.status === 422) resolve(importOutcome(xhr.status, body, err));
        else reject(err);
      };
      xhr.send(file);
    });
    return { promise, abort: () => xhr.abort() };
  },
};

// ---------------------------------------------------------------------------------------------------
// Notices for the signed-in user (decisions on their change requests), rendered by the server in the
// language of the request (Accept-Language).

export interface Notification {
  id: number;
  code: string;
  params: Record<string, string>;
  message: string;
  change_request_id: number | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage extends ListPage<Notification> {
  unread: number;
}

export const notifications = {
  list(query: { unread?: 'true' | 'false'; limit?: number; offset?: number }, signal?: AbortSignal): Promise<NotificationPage> {
    return request<NotificationPage>('GET', '/me/notifications', { query, ...(signal ? { signal } : {}) });
  },
  markRead(id: number): Promise<Notification> {
    return request<Notification>('POST', `/me/notifications/${id}/read`);
  },
  markAllRead(): Promise<{ marked: number; unread: number }> {
    return request<{ marked: number; unread: number }>('POST', '/me/notifications/read-all');
  },
};

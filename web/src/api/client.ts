// The HTTP client of the Sanad JSON API (/api/v1): requests, errors, the CSRF token and the
// language sent. The session lives in an HttpOnly cookie set by the server; the CSRF token returned at
// login (and by /auth/me) is kept in memory only and sent on every state-changing request.

export interface ListPage<T> {
  items: T[];
  total: number;
  /** False when the server stopped counting (a capped name search): "more than {total}". */
  total_exact?: boolean;
  limit: number;
  offset: number;
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

/** The headers every request sends (an upload through XMLHttpRequest sets them itself). */
export function sessionHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': acceptLanguage };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

/** Signals an expired session (a 401 outside `request`). */
export function reportUnauthorized(): void {
  onUnauthorized?.();
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
  const headers = sessionHeaders(method);
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';

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

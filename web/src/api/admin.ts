// Accounts, sessions, the audit log and areas.
import { request } from './client';
import type { ListPage } from './client';

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
  /** A column of AUDIT_SORTS, "-" first for descending; without it the newest entry first. */
  sort?: string;
  limit?: number;
  offset?: number;
}

/** The columns the audit log can be sorted by (the server's allow-list). */
export const AUDIT_SORTS = ['at', 'username', 'action', 'record_type'] as const;

/** The columns the account list can be sorted by (the server's allow-list); without one, by username. */
export const USER_SORTS = ['username', 'created_at', 'active', 'area'] as const;

/** The report of a finished verification; `reason` is a server catalogue code (audit_verify.*) with its
 *  `params`, and `message` its text in the request's language. */
export interface VerifyReport {
  ok: boolean;
  checked: number;
  first_broken_id: number | null;
  reason: string | null;
  params: Record<string, string>;
  message: string | null;
}

/** A verification of the audit chain: a background job, polled until it has ended. */
export interface VerifyJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Entries checked of the entries the log held (total 0 until known). */
  progress: { done: number; total: number };
  started_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  report: VerifyReport | null;
  /** A failed job, in the request's language. */
  error: string | null;
}

type Ring = [number, number][];
export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: {
    properties: Record<string, unknown>;
    geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
  }[];
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
  users(query: { limit: number; offset: number; sort?: string }, signal?: AbortSignal): Promise<ListPage<User>> {
    return request<ListPage<User>>('GET', '/users', { query, ...(signal ? { signal } : {}) });
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
  /** Starts a verification of the chain (or joins the one under way). */
  verifyAudit(): Promise<VerifyJob> {
    return request<VerifyJob>('POST', '/audit/verify', { body: {} });
  },
  verification(id: number, signal?: AbortSignal): Promise<VerifyJob> {
    return request<VerifyJob>('GET', `/audit/verify/${encodeURIComponent(String(id))}`, signal ? { signal } : {});
  },
  cancelVerification(id: number): Promise<VerifyJob> {
    return request<VerifyJob>('POST', `/audit/verify/${encodeURIComponent(String(id))}/cancel`, { body: {} });
  },
  /** The country's region (MA) or wilaya (DZ) boundaries as GeoJSON, from the reference data. */
  boundaries(country: Country): Promise<GeoJsonCollection> {
    return request<GeoJsonCollection>('GET', '/areas/boundaries', { query: { country } });
  },
  area(code: string, asOf?: string, signal?: AbortSignal): Promise<AreaDetail> {
    return request<AreaDetail>('GET', `/areas/${encodeURIComponent(code)}`, {
      query: { as_of: asOf },
      ...(signal ? { signal } : {}),
    });
  },
};

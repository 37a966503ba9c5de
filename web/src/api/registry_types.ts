// The social registry's records as the API returns them (households, persons, change requests, benefits,
// imports); api.ts re-exports them with the calls that fetch them.
import type { ApiError, ListPage } from '../api';

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

export interface HistoryEvent {
  at: string;
  record_type: 'household' | 'person' | string;
  record_id: number;
  version: number;
  change_request_id: number | null;
  kind: string;
  author: string;
  reviewer: string;
  summary: string;
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

export type ImportKind = 'households' | 'persons' | 'households-with-members';

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

// Payments (docs/payments.md): a cycle's batches per channel, their files, reconciliation files and
// their line reports, and a batch's payments (failed ones with where they were carried).
import { ApiError, buildUrl, request, sessionHeaders, toApiError } from './client';
import type { ListPage } from './client';

export interface PaymentBatch {
  id: number;
  cycle_id: number;
  programme: string;
  period: string;
  channel: 'bank_transfer' | 'cash_withdrawal' | 'mobile_wallet';
  currency: string;
  state: 'created' | 'exported' | 'reconciled';
  payments_count: number;
  total_minor: number;
  paid: number;
  failed: number;
  pending: number;
  created_at: string;
  file_format: string | null;
  file_sha256: string | null;
  exported_at: string | null;
  reconciled_at: string | null;
}

export interface Payment {
  id: number;
  end_to_end_id: string;
  household_id: number;
  payee_name: string;
  channel: string;
  amount_minor: number;
  currency: string;
  status: 'pending' | 'paid' | 'failed';
  reason: string | null;
  paid_on: string | null;
  carried_from: number | null;
  carried_to: number | null;
  carried_to_cycle: number | null;
}

export interface ReconciliationProblem {
  where: string;
  reason: string;
  params: Record<string, string>;
  message: string;
}

export interface ReconciliationReport {
  id: number;
  batch_id: number;
  format: string;
  outcome: 'applied' | 'unchanged' | 'rejected';
  lines: number;
  paid: number;
  failed: number;
  unchanged: number;
  problems: ReconciliationProblem[];
  imported_at: string;
  imported_by: string;
}

export const paymentsApi = {
  batches: (cycle: number, signal?: AbortSignal) =>
    request<{ cycle_id: number; batches: PaymentBatch[] }>('GET', `/cycles/${cycle}/payment-batches`, { signal }),
  createBatches: (cycle: number) =>
    request<{ cycle_id: number; created: boolean; batches: PaymentBatch[] }>('POST', `/cycles/${cycle}/payment-batches`),
  payments: (batch: number, status?: string, signal?: AbortSignal) =>
    request<ListPage<Payment>>('GET', `/payment-batches/${batch}/payments`, { query: { status, limit: 200 }, signal }),
  /** The batch's stored reconciliation reports, newest first, their problems rendered in the page's language. */
  reports: (batch: number, signal?: AbortSignal) =>
    request<{ batch_id: number; reports: ReconciliationReport[] }>('GET', `/payment-batches/${batch}/reconciliations`, { signal }),
  fileUrl: (batch: number, format: 'csv' | 'pain001') => buildUrl(`/payment-batches/${batch}/file`, { format }),
  /** Issues new withdrawal codes for a cash batch and returns the notices' CSV (shown once, never stored). */
  issueCodes: async (batch: number): Promise<Blob> => {
    let response: Response;
    try {
      response = await fetch(buildUrl(`/payment-batches/${batch}/withdrawal-codes`), {
        method: 'POST',
        headers: sessionHeaders('POST'),
        credentials: 'same-origin',
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    if (!response.ok) {
      const text = await response.text();
      let data: unknown = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = null;
      }
      throw toApiError(response.status, response.statusText, data, response.headers.get('X-Request-Id'), response.headers.get('Retry-After'));
    }
    return response.blob();
  },
  /** Sends a reconciliation file as it is (CSV or camt.054 XML); a refused file rejects with its problems. */
  reconcile: async (batch: number, file: File): Promise<ReconciliationReport> => {
    const headers = sessionHeaders('POST');
    const xml = /\.xml$/i.test(file.name);
    headers['Content-Type'] = xml ? 'application/xml' : 'text/csv';
    let response: Response;
    try {
      response = await fetch(buildUrl(`/payment-batches/${batch}/reconciliation`, { format: xml ? 'camt054' : 'csv' }), {
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
    return data as ReconciliationReport;
  },
};

import { useEffect, useState } from 'preact/hooks';
import { ApiError, cyclesApi, paymentsApi } from '../api';
import type { Cycle, PaymentBatch, ReconciliationReport } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { hasText, useI18n } from '../i18n';
import type { Lang, MessageKey } from '../i18n';
import { navigate } from '../router';
import type { Route } from '../router';

// #/payments?cycle=ID: the payment batches of an approved cycle (one per channel) with their counts and
// control sums, their files (CSV, pain.001 for bank transfers), reconciliation uploads with the line
// report of a refused file, and a batch's failed payments with the cycle each was carried to.

/** A reconciliation problem's place in the page's language: "line 3" → "السطر 3"; an XML path as is. */
function wherePlace(t: (k: MessageKey, p?: Record<string, string>) => string, where: string): string {
  const m = /^line (\d+)$/.exec(where);
  return m ? t('payments.line', { n: m[1]! }) : where;
}

interface Outcome {
  batch: number;
  /** The language the file was sent in: the answer's problem texts are in it. */
  lang: Lang;
  report?: ReconciliationReport;
  error?: unknown;
}

/** The stored report's id: the applied report's own, or the one a refusal names (params.report_id). */
function reportIdOf(outcome: Outcome): number | null {
  if (outcome.report) return outcome.report.id;
  if (outcome.error instanceof ApiError) return Number(outcome.error.params['report_id']) || null;
  return null;
}

function ReportView({ outcome }: { outcome: Outcome }) {
  const { t, num, lang } = useI18n();
  // The problems' texts are the server's, written in the language of the upload. In another language the
  // stored report is read again (never the file sent again); in the upload's own, its answer is shown.
  const id = reportIdOf(outcome);
  const { data: stored } = useLoaded(
    (signal) =>
      id === null || lang === outcome.lang
        ? Promise.resolve(null)
        : paymentsApi.reports(outcome.batch, signal).then((r) => r.reports.find((x) => x.id === id) ?? null),
    `${outcome.batch}/${id ?? ''}`,
  );
  const report = outcome.report ? (stored ?? outcome.report) : undefined;
  const rows = stored
    ? stored.problems.map((p) => ({ where: p.where, message: p.message || p.reason }))
    : outcome.error instanceof ApiError
      ? outcome.error.problems.map((p) => ({ where: p.field ?? '', message: p.message || p.reason }))
      : (outcome.report?.problems ?? []).map((p) => ({ where: p.where, message: p.message }));
  return (
    <div class="card" data-testid="recon-report">
      {report && (
        <p data-testid="recon-outcome" data-outcome={report.outcome}>
          {t(`payments.outcome.${report.outcome}` as MessageKey, {
            paid: num(report.paid),
            failed: num(report.failed),
            unchanged: num(report.unchanged),
          })}
        </p>
      )}
      {outcome.error !== undefined && rows.length === 0 && <ErrorNotice error={outcome.error} />}
      {rows.length > 0 && (
        <>
          <p class="notice notice--error" role="alert">
            {t('payments.rejected', { n: num(rows.length) })}
          </p>
          <table class="table" data-testid="recon-problems">
            <thead>
              <tr>
                <th>{t('payments.where')}</th>
                <th>{t('payments.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-where={r.where}>
                  <td dir="ltr">{wherePlace(t, r.where)}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function FailedPayments({ batch }: { batch: PaymentBatch }) {
  const { t, num } = useI18n();
  // The same table shows another batch's failures when another is picked: the request for the batch no
  // longer picked is aborted, so its answer never replaces the picked one's.
  const { data: items, error } = useLoaded(
    (signal) => paymentsApi.payments(batch.id, 'failed', signal).then((p) => p.items),
    `${batch.id}/${batch.failed}`,
    false,
  );
  if (error) return <ErrorNotice error={error} />;
  if (!items) return null;
  if (items.length === 0) return <p class="muted">{t('payments.no_failures')}</p>;
  return (
    <table class="table" data-testid="failed-payments">
      <thead>
        <tr>
          <th>{t('payments.end_to_end_id')}</th>
          <th>{t('payments.payee')}</th>
          <th>{t('payments.amount')}</th>
          <th>{t('payments.reason')}</th>
          <th>{t('payments.carried_to')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id}>
            <td dir="ltr">{p.end_to_end_id}</td>
            <td>{p.payee_name}</td>
            <td>{num(p.amount_minor / 100, { style: 'currency', currency: p.currency })}</td>
            <td data-testid="failed-reason">
              <bdi dir="ltr">{p.reason}</bdi>
              {p.reason && hasText(`return_reason_name.${p.reason}`) && <> — {t(`return_reason_name.${p.reason}` as MessageKey)}</>}
            </td>
            <td>{p.carried_to_cycle ? t('payments.cycle_n', { n: String(p.carried_to_cycle) }) : t('payments.not_carried')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PaymentsPage({ route }: { route: Route }) {
  const { t, num, dateTime, lang } = useI18n();
  const cycle = Number(route.params.get('cycle') ?? '') || null;
  // The cycles a payment officer can pay or reconcile: approved ones, and paid ones whose failures and
  // reports are still looked at; the newest first as the API lists them.
  const [payable, setPayable] = useState<Cycle[] | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    cyclesApi.list({}, ctrl.signal).then(
      (p) => setPayable(p.items.filter((c) => c.state === 'approved' || c.state === 'paid' || c.state === 'closed')),
      () => setPayable([]),
    );
    return () => ctrl.abort();
  }, []);
  const [actError, setActError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  // The batches of a cycle no longer chosen are aborted: when they came last, they were shown under the
  // cycle chosen after it. A reload after a reconciliation keeps the table on screen; another cycle
  // starts from nothing. The acts below are not aborted: what they answer (batches created, a
  // reconciliation report, an error) is shown only while the cycle they were made on is still chosen;
  // it was shown under the cycle chosen while they ran.
  const { data: batches, setData: setBatches, error: loadError, reload, shownCheck } = useLoaded(
    (signal) => (cycle ? paymentsApi.batches(cycle, signal).then((r) => r.batches) : Promise.resolve(null)),
    String(cycle ?? ''),
    false,
  );
  useEffect(() => {
    setBatches(null);
    setOutcome(null);
    setActError(null);
  }, [cycle]);
  const error = loadError ?? actError;

  const create = async () => {
    if (!cycle) return;
    const stillShown = shownCheck();
    setBusy(true);
    setActError(null);
    try {
      await paymentsApi.createBatches(cycle);
      // Read again rather than taken from the answer: the reload reads the cycle chosen now, and aborts a
      // read of this cycle begun before its batches were made, which would answer with none.
      reload();
    } catch (e) {
      if (stillShown()) setActError(e);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (batch: number, file: File | undefined) => {
    if (!file) return;
    const stillShown = shownCheck();
    setBusy(true);
    setOutcome(null);
    const done: Outcome = await paymentsApi.reconcile(batch, file).then(
      (report) => ({ batch, lang, report }),
      (error: unknown) => ({ batch, lang, error }),
    );
    setBusy(false);
    if (!stillShown()) return;
    setOutcome(done);
    setActError(null);
    reload();
  };

  // The codes' file is saved even when another cycle is chosen meanwhile: issuing replaced the batch's
  // codes, and the file is the only copy of the new ones.
  const issueCodes = async (batch: number) => {
    const stillShown = shownCheck();
    setBusy(true);
    setActError(null);
    try {
      const blob = await paymentsApi.issueCodes(batch);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `withdrawal-codes-batch-${batch}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      if (stillShown()) setActError(e);
    } finally {
      setBusy(false);
    }
  };

  const money = (minor: number, currency: string) => num(minor / 100, { style: 'currency', currency });

  return (
    <section class="page" data-testid="payments-page">
      <h1>{t('payments.title')}</h1>
      <div class="toolbar">
        <label>
          {t('payments.cycle')}{' '}
          <select
            value={cycle ? String(cycle) : ''}
            data-testid="cycle-select"
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              navigate('/payments', v ? { cycle: v } : {});
            }}
          >
            <option value="">{t('payments.pick_cycle')}</option>
            {cycle && payable && !payable.some((c) => c.id === cycle) && <option value={String(cycle)}>#{cycle}</option>}
            {(payable ?? []).map((c) => (
              <option key={c.id} value={String(c.id)}>
                {`${c.programme} · ${c.period} · ${t(`cycles.state.${c.state}` as MessageKey)} · #${c.id}`}
              </option>
            ))}
          </select>
        </label>
        {payable && payable.length === 0 && <span class="muted">{t('payments.no_cycles')}</span>}
        {cycle && (
          <button type="button" class="btn btn--primary" disabled={busy} data-testid="create-batches" onClick={create}>
            {t('payments.create')}
          </button>
        )}
      </div>
      {error !== null && <ErrorNotice error={error} />}
      {batches && batches.length === 0 && <p class="muted">{t('payments.no_batches')}</p>}
      {batches && batches.length > 0 && (
        <table class="table" data-testid="batches">
          <thead>
            <tr>
              <th>{t('payments.channel')}</th>
              <th>{t('payments.state')}</th>
              <th>{t('payments.count')}</th>
              <th>{t('payments.total')}</th>
              <th>{t('payments.paid')}</th>
              <th>{t('payments.failed')}</th>
              <th>{t('payments.pending')}</th>
              <th>{t('payments.files')}</th>
              <th>{t('payments.reconciliation')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id} data-batch={b.id} data-channel={b.channel}>
                <td>{t(`payments.channel.${b.channel}` as MessageKey)}</td>
                <td title={b.exported_at ? dateTime(b.exported_at) : undefined}>{t(`payments.state.${b.state}` as MessageKey)}</td>
                <td>{num(b.payments_count)}</td>
                <td data-testid="control-sum">{money(b.total_minor, b.currency)}</td>
                <td>{num(b.paid)}</td>
                <td>
                  {b.failed > 0 ? (
                    <button type="button" class="link" onClick={() => setSelected(selected === b.id ? null : b.id)}>
                      {num(b.failed)}
                    </button>
                  ) : (
                    num(b.failed)
                  )}
                </td>
                <td>{num(b.pending)}</td>
                <td>
                  <a class="btn btn--small" href={paymentsApi.fileUrl(b.id, 'csv')} download>
                    CSV
                  </a>{' '}
                  {b.channel === 'cash_withdrawal' && (
                    <button type="button" class="btn btn--small" disabled={busy} onClick={() => void issueCodes(b.id)}>
                      {t('payments.codes')}
                    </button>
                  )}
                  {b.channel === 'bank_transfer' && (
                    <a class="btn btn--small" href={paymentsApi.fileUrl(b.id, 'pain001')} download>
                      pain.001
                    </a>
                  )}
                </td>
                <td>
                  <label class="btn btn--small">
                    {t('payments.upload')}
                    <input
                      type="file"
                      accept=".csv,.xml,text/csv,application/xml"
                      hidden
                      disabled={busy}
                      data-testid={`recon-file-${b.id}`}
                      onChange={(e) => {
                        const input = e.target as HTMLInputElement;
                        void upload(b.id, input.files?.[0]);
                        input.value = '';
                      }}
                    />
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {outcome && <ReportView outcome={outcome} />}
      {batches && selected !== null && batches.find((b) => b.id === selected) && (
        <>
          <h2>{t('payments.failed_payments')}</h2>
          <FailedPayments batch={batches.find((b) => b.id === selected)!} />
        </>
      )}
    </section>
  );
}

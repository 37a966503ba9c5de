import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, registry } from '../api';
import type { ImportKind, ImportOutcome, User } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { canApprove } from '../registry';
import { href } from '../router';

const MAX_ERRORS_SHOWN = 50;
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Upload =
  | { state: 'idle' }
  | { state: 'uploading'; loaded: number; total: number; abort: () => void }
  | { state: 'processing' }
  | { state: 'done'; outcome: ImportOutcome }
  | { state: 'failed'; error: unknown };

/** #/import: upload a households or persons file (CSV or XLSX); it becomes one change request. */
export function ImportPage({ user }: { user: User }) {
  const { t, num } = useI18n();
  const [kind, setKind] = useState<ImportKind>('households');
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const inputRef = useRef<HTMLInputElement>(null);

  const start = (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const { promise, abort } = registry.upload(kind, file, (loaded, total) => {
      setUpload(loaded >= total ? { state: 'processing' } : { state: 'uploading', loaded, total, abort });
    });
    setUpload({ state: 'uploading', loaded: 0, total: file.size, abort });
    promise
      .then((outcome) => setUpload({ state: 'done', outcome }))
      .catch((err) => {
        if (err instanceof DOMException && err.name === 'AbortError') setUpload({ state: 'idle' });
        else setUpload({ state: 'failed', error: err });
      });
  };
  const busy = upload.state === 'uploading' || upload.state === 'processing';
  const pct = upload.state === 'uploading' && upload.total > 0 ? upload.loaded / upload.total : upload.state === 'processing' ? 1 : 0;

  return (
    <div class="page" data-testid="import-page">
      <header class="page__header">
        <h1 class="page__title">{t('import.title')}</h1>
        <p class="page__intro">{t('import.intro')}</p>
      </header>

      <form class="card form import-form" onSubmit={start}>
        <fieldset class="form-fieldset">
          <legend class="form-fieldset__legend">{t('import.kind')}</legend>
          <div class="segmented segmented--radio">
            {(['households', 'persons', 'households-with-members'] as const).map((k) => (
              <label key={k} class="segmented__item">
                <input type="radio" name="import-kind" value={k} checked={kind === k} data-testid={`import-kind-${k}`} onChange={() => setKind(k)} disabled={busy} />
                {t(`import.kind.${k}`)}
              </label>
            ))}
          </div>
          <p class="toolbar__hint">{t(`import.kind_hint.${kind}`)}</p>
          <p class="toolbar__hint" data-testid="import-template">
            {t('import.template')}{' '}
            {(['csv', 'xlsx'] as const).map((f, i) => (
              <Fragment key={f}>
                {i > 0 && ' · '}
                <a href={registry.templateUrl(kind, f)} download data-testid={`import-template-${f}`}>
                  <bdi dir="ltr">{f.toUpperCase()}</bdi>
                </a>
              </Fragment>
            ))}
          </p>
        </fieldset>
        <div class="field">
          <label class="field__label" for="import-file">
            {t('import.file')}
          </label>
          <input
            ref={inputRef}
            id="import-file"
            class="input input--file"
            type="file"
            accept={ACCEPT}
            disabled={busy}
            data-testid="import-file"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setUpload({ state: 'idle' });
            }}
          />
          <p class="toolbar__hint">{t('import.file_hint')}</p>
        </div>
        {file && (
          <p class="muted" data-testid="import-file-info">
            <bdi dir="ltr">{file.name}</bdi> · {num(file.size / 1024, { maximumFractionDigits: 1 })} {t('import.kib')}
          </p>
        )}
        <div class="actions-row">
          <button type="submit" class="btn btn--primary" disabled={!file || busy} data-testid="import-submit">
            {t('import.upload')}
          </button>
          {upload.state === 'uploading' && (
            <button type="button" class="btn btn--ghost" onClick={upload.abort}>
              {t('import.cancel')}
            </button>
          )}
        </div>
        {busy && (
          <div class="progress-block" data-testid="import-progress">
            <progress class="progress" max={1} value={pct} aria-label={t('import.progress')} />
            <p class="toolbar__hint" aria-live="polite">
              {upload.state === 'uploading'
                ? t('import.uploading', { pct: num(pct, { style: 'percent' }), loaded: num(upload.loaded / 1024, { maximumFractionDigits: 0 }), total: num(upload.total / 1024, { maximumFractionDigits: 0 }) })
                : t('import.processing')}
            </p>
          </div>
        )}
      </form>

      {upload.state === 'failed' &&
        (upload.error instanceof ApiError && (upload.error.status === 404 || upload.error.status === 405) ? (
          <div class="notice notice--error" role="alert" data-testid="import-unavailable">
            <p>{t('import.unavailable')}</p>
          </div>
        ) : (
          <ErrorNotice error={upload.error} />
        ))}
      {upload.state === 'done' && <Outcome outcome={upload.outcome} user={user} />}
    </div>
  );
}

function Outcome({ outcome: o, user }: { outcome: ImportOutcome; user: User }) {
  const { t, num } = useI18n();
  if (o.status === 422) {
    const shown = o.errors.slice(0, MAX_ERRORS_SHOWN);
    return (
      <section class="card import-result" data-testid="import-rejected">
        <div class="notice notice--error" role="alert">
          <p data-testid="import-rejected-count">
            {o.rejectedRows !== null ? t('import.rejected_rows', { n: num(o.rejectedRows) }) : t('import.rejected')}
          </p>
          {o.error && <p>{o.error.message}</p>}
          <p>{t('import.nothing_written')}</p>
        </div>
        {o.reportId && (
          <p>
            <a class="btn btn--secondary" href={registry.reportUrl(o.reportId)} download data-testid="import-report">
              {t('import.report')}
            </a>
          </p>
        )}
        {shown.length > 0 && (
          <>
            <h2 class="section__title">{o.errors.length > shown.length ? t('import.first_errors', { n: num(shown.length) }) : t('import.errors')}</h2>
            <div class="table-wrap">
              <table class="table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th scope="col" class="num">{t('import.col.row')}</th>
                    <th scope="col">{t('import.col.column')}</th>
                    <th scope="col">{t('import.col.value')}</th>
                    <th scope="col">{t('import.col.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((e, i) => (
                    <tr key={i}>
                      <td class="num">{e.row !== null ? num(e.row, { useGrouping: false }) : ''}</td>
                      <td><bdi class="code" dir="ltr">{e.column ?? ''}</bdi></td>
                      <td><bdi>{e.value ?? ''}</bdi></td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    );
  }
  const cr = o.changeRequest;
  return (
    <section class="card import-result" data-testid="import-accepted">
      <div class="notice notice--info" role="status">
        <p>{cr ? t('cr.filed', { id: cr.id }) : t('import.accepted')}</p>
        {cr && <p class="muted">{cr.summary}</p>}
        {(o.rows ?? cr?.item_count) !== undefined && (o.rows ?? cr?.item_count) !== null && (
          <p>{t('import.rows', { n: num((o.rows ?? cr?.item_count)!) })}</p>
        )}
        <p>{t('cr.awaiting')}</p>
      </div>
      {cr && canApprove(user.roles) && (
        <p>
          <a href={href('/change-requests', { id: String(cr.id) })} data-testid="import-open-request">
            {t('cr.open')}
          </a>
        </p>
      )}
      {o.warnings.length > 0 && (
        <div class="notice notice--warning" data-testid="import-warnings">
          <p>{t('import.warnings', { n: num(o.warnings.length) })}</p>
          <ul class="bullets">
            {o.warnings.slice(0, MAX_ERRORS_SHOWN).map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

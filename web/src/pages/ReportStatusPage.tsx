import { useState } from 'preact/hooks';
import { eservicesApi } from '../api';
import { Brand } from '../components/Brand';
import { ErrorNotice } from '../components/ErrorNotice';
import { LangSwitch } from '../components/LangSwitch';
import { useLookup } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';
import type { Route } from '../router';

// A report's progress by its tracking code (#/report/status?code=…), no account: the status and the
// team's public notes, nothing else (GET /api/v1/public/reports/{code}).

export function ReportStatusPage({ route }: { route: Route }) {
  const { t, dateTime } = useI18n();
  const code = route.params.get('code') ?? '';
  const [typed, setTyped] = useState(code);
  // The answer for a code no longer asked about is aborted: when it came last, it was shown under the
  // code typed after it.
  const { data, error } = useLookup(eservicesApi.status, code);
  const status = data === 'missing' ? null : data;
  const missing = data === 'missing';

  const when = (iso: string) => dateTime(iso);
  return (
    <div class="login-page es-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card es-card" id="main" data-testid="report-status-page">
        <Brand size="large" />
        <h1>{t('es.status_title')}</h1>
        <form
          class="es-lookup"
          onSubmit={(e) => {
            e.preventDefault();
            navigate('/report/status', { code: typed.trim() });
          }}
        >
          <div class="field">
            <label for="es-code">{t('es.status_code')}</label>
            <input id="es-code" dir="ltr" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} autocomplete="off" />
          </div>
          <button type="submit" class="btn btn--primary">
            {t('es.status_show')}
          </button>
        </form>
        {missing && (
          <p class="notice notice--error" role="alert">
            {t('es.status_not_found')}
          </p>
        )}
        {error !== null && <ErrorNotice error={error} />}
        {status && (
          <section class="es-status" data-testid="es-status">
            <p class="es-status__service">{t(`eservice.service.${status.service_code}` as MessageKey)}</p>
            <p class={`es-badge es-badge--${status.status}`} data-testid="es-status-value">
              {t(`es.status.${status.status}` as MessageKey)}
            </p>
            {status.case && status.case.status === 'open' && (
              // Where the social case opened from the report stands; never what it holds.
              <p class="es-status__case" data-testid="es-case-stage">
                {t('es.case_stage', { stage: t(`cases.stage.${status.case.stage}` as MessageKey) })}
              </p>
            )}
            <dl class="es-dates">
              <dt>{t('es.status_received_at')}</dt>
              <dd>{when(status.received_at)}</dd>
              <dt>{t('es.status_updated_at')}</dt>
              <dd>{when(status.updated_at)}</dd>
            </dl>
            <h2>{t('es.status_notes')}</h2>
            {status.notes.length === 0 ? (
              <p class="muted">{t('es.status_no_notes')}</p>
            ) : (
              <ul class="es-notes" data-testid="es-notes">
                {status.notes.map((n, i) => (
                  <li key={i}>
                    <p>{n.body}</p>
                    <p class="muted">{when(n.created_at)}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <p class="login-card__link">
          <a href="#/report">{t('es.new_report')}</a>
        </p>
      </main>
    </div>
  );
}

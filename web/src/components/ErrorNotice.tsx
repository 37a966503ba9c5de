import { ApiError } from '../api';
import { useI18n } from '../i18n';
import type { I18n } from '../i18n';

/** A message for the user: translated for the common cases, the server's own words for 4xx details. */
export function errorMessage(t: I18n['t'], err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 404) return t('error.not_found');
    if (err.status >= 500) return t('error.server');
    if (err.status >= 400) return err.message || t('error.bad_request');
  }
  return t('error.server');
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div class="notice notice--error" role="alert">
      <p class="notice__text">{errorMessage(t, error)}</p>
      {requestId && (
        <p class="notice__ref">
          {t('error.reference', { id: '' })}
          <bdi dir="ltr">{requestId}</bdi>
        </p>
      )}
      {onRetry && (
        <button type="button" class="btn btn--secondary btn--small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  );
}

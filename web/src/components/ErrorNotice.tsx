import { ApiError } from '../api';
import type { Problem } from '../api';
import { hasText, useI18n } from '../i18n';
import type { I18n, MessageKey } from '../i18n';

/** A server code (reason) with its parameters, rendered from the catalogues in the page's language;
 *  null when no catalogue has it. */
function coded(t: I18n['t'], reason: string | null | undefined, params: Record<string, string>): string | null {
  if (!reason || !hasText(reason)) return null;
  return t(reason as MessageKey, params);
}

/** The error in the page's language: its reason from the catalogues; else the server's own text (the
 *  server renders it in the Accept-Language the page sent, and falls back to the generic text of the
 *  error's class in that language rather than send English to an Arabic or French page); else the
 *  text of its class. */
export function errorMessage(t: I18n['t'], err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    const text = coded(t, err.reason, err.params);
    if (text) return text;
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 404) return t('error.not_found');
    if (err.status >= 500) return t('error.server');
    if (err.status >= 400 && err.message && err.message !== err.code) return err.message;
    const generic = `error.${err.code}`;
    if (err.status >= 400 && hasText(generic)) return t(generic as MessageKey);
    if (err.status >= 400) return t('error.bad_request');
  }
  return t('error.server');
}

/** One problem's text; the form's own words for its field when the server named one. */
export function problemMessage(t: I18n['t'], p: Problem): string {
  return coded(t, p.reason, p.params) ?? (p.message || t('form.invalid'));
}

/** Every problem the error carries (the error itself when it names a field and has no list). */
export function problemsOf(err: unknown): Problem[] {
  if (!(err instanceof ApiError)) return [];
  if (err.problems.length > 0) return err.problems;
  if (err.field) return [{ reason: err.reason ?? '', params: err.params, field: err.field, message: err.message }];
  return [];
}

/** The messages attached to one field of a form (`field` as the server names it, e.g. "birth_date"
 *  or "members[2].birth_date"), in the page's language. */
export function fieldMessages(t: I18n['t'], err: unknown, field: string): string[] {
  return problemsOf(err)
    .filter((p) => p.field === field || p.field === `/${field}` || p.field?.replace(/^\//, '').replace(/\//g, '.') === field)
    .map((p) => problemMessage(t, p));
}

/** Every problem of `err` whose field is a path of the form (`payload.members[1].birth_date` →
 *  `members.1.birth_date`, less `prefix`), as the form's field errors in the page's language; the
 *  problems on other fields are left to the notice. Empty when the error names no field of the form. */
export function formFieldErrors(t: I18n['t'], err: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problemsOf(err)) {
    const path = p.field?.replace(/^payload\./, '').replace(/\[(\d+)\]/g, '.$1');
    if (!path || !path.startsWith(prefix)) continue;
    const key = path.slice(prefix.length);
    const text = problemMessage(t, p);
    out[key] = out[key] ? `${out[key]} ${text}` : text;
  }
  return out;
}

/** The inline message under a form field, when the server found a problem there. */
export function FieldError({ error, field, id }: { error: unknown; field: string; id?: string }) {
  const { t } = useI18n();
  const messages = fieldMessages(t, error, field);
  if (messages.length === 0) return null;
  return (
    <p class="field__error" id={id} role="alert" data-testid={`field-error-${field}`}>
      {messages.join(' ')}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const requestId = error instanceof ApiError ? error.requestId : null;
  const problems = error instanceof ApiError ? error.problems : [];
  return (
    <div class="notice notice--error" role="alert" data-testid="error-notice">
      <p class="notice__text">{errorMessage(t, error)}</p>
      {problems.length > 0 && (
        <ul class="notice__problems" data-testid="error-problems">
          {problems.map((p, i) => (
            <li key={i} data-field={p.field ?? undefined}>
              {problemMessage(t, p)}
            </li>
          ))}
        </ul>
      )}
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

import { useState } from 'preact/hooks';
import { registry } from '../api';
import type { ChangeRequest, ChangeWarning } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { errorMessage } from './ErrorNotice';
import '../styles/authors.css';

// What became of a change request, as its author and its reviewers see it: the decision (or the
// withdrawal) with its comment, the warnings computed when filing, and the author's withdrawal.

/** Who decided and when, or when the author withdrew it, with the comment given: decisions are final but visible. */
export function Decision({ cr }: { cr: ChangeRequest }) {
  const { t, dateTime } = useI18n();
  if (cr.status === 'pending' || !cr.reviewed_at) return <span class="muted">{t('common.none')}</span>;
  const by =
    cr.status === 'withdrawn'
      ? t('cr.withdrawn_on', { at: dateTime(cr.reviewed_at) })
      : t('cr.decided_by', { reviewer: cr.reviewer ?? '', at: dateTime(cr.reviewed_at) });
  return (
    <div class="decision" data-testid="decision">
      <span data-testid="decision-by">{by}</span>
      {cr.review_comment && (
        <blockquote class="decision__comment" dir="auto" data-testid="decision-comment">
          <span class="visually-hidden">{t(cr.status === 'withdrawn' ? 'cr.author_comment' : 'cr.reviewer_comment')}: </span>
          {cr.review_comment}
        </blockquote>
      )}
    </div>
  );
}

/** Catalogue text of a warning by its reason, else the server's text. */
function warningText(t: (k: MessageKey) => string, w: ChangeWarning): string {
  const key = `cr.warning.${w.reason}` as MessageKey;
  const text = t(key);
  return text === key ? w.message : text;
}

export function Warnings({ warnings }: { warnings: readonly ChangeWarning[] | undefined }) {
  const { t } = useI18n();
  if (!warnings || warnings.length === 0) return null;
  return (
    <div class="notice notice--warning" role="note" data-testid="cr-warnings">
      {warnings.map((w, i) => (
        <p key={i} data-reason={w.reason}>
          {warningText(t, w)}
        </p>
      ))}
    </div>
  );
}

/** Withdraw with a confirmation step and an optional reason; the author only, while pending (the server checks). */
export function WithdrawButton({ cr, onWithdrawn }: { cr: ChangeRequest; onWithdrawn: (cr: ChangeRequest) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button type="button" class="btn btn--secondary btn--small" data-testid="withdraw" onClick={() => setConfirming(true)}>
        {t('cr.withdraw')}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      onWithdrawn(await registry.withdraw(cr.id, reason.trim()));
      setConfirming(false);
    } catch (err) {
      setProblem(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const reasonId = `withdraw-reason-${cr.id}`;
  return (
    <div class="withdraw-confirm" data-testid="withdraw-confirm">
      <p>{t('cr.withdraw_question', { id: cr.id })}</p>
      <label class="field__label" for={reasonId}>
        {t('cr.withdraw_reason')}
      </label>
      <input id={reasonId} class="input" maxLength={2000} value={reason} data-testid="withdraw-reason" onInput={(e) => setReason(e.currentTarget.value)} />
      {problem && (
        <p class="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <div class="actions-row">
        <button type="button" class="btn btn--danger btn--small" disabled={busy} data-testid="withdraw-confirm-button" onClick={() => void confirm()}>
          {busy ? t('form.submitting') : t('cr.withdraw_confirm')}
        </button>
        <button type="button" class="btn btn--secondary btn--small" disabled={busy} onClick={() => setConfirming(false)}>
          {t('form.cancel')}
        </button>
      </div>
    </div>
  );
}

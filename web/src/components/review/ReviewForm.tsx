import { useState } from 'preact/hooks';
import { ApiError, registry } from '../../api';
import type { ChangeRequest, Person, User } from '../../api';
import { errorMessage } from '../ErrorNotice';
import { useI18n } from '../../i18n';
import { href } from '../../router';
import { personName } from './RequestDiff';

// ---------------------------------------------------------------------------------------------------
// Warnings (the filing agent sees them when filing and on the request) and the national-ID decision.

type NidChoice = 'same' | 'not_same' | null;

/** Warnings whose approval needs the national-ID decision: one person's, or an import's rows. */
const NID_REASONS = ['person.national_id_in_use', 'import.national_ids_in_use', 'import.national_ids_repeated'];
const isNidReason = (reason: string | null | undefined) => !!reason && NID_REASONS.includes(reason);

/** The other holder of the national ID (a link to their household when the reviewer's scope covers them) and the choice. */
function NationalIdDecision({ cr, choice, onChoice, busy, onSamePerson }: {
  cr: ChangeRequest;
  choice: NidChoice;
  onChoice: (c: NidChoice) => void;
  busy: boolean;
  onSamePerson: () => void;
}) {
  const { t, lang } = useI18n();
  const holders = (cr.warnings ?? []).filter((w) => w.reason === 'person.national_id_in_use');
  const others = holders
    .map((w) => (w.person_id !== undefined ? cr.current?.persons.find((p) => p.id === w.person_id) : undefined))
    .filter((p): p is Person => p !== undefined);
  const canMerge = cr.kind === 'update_person' && others.length === 1;
  // An import's rows: how many share an ID with the registry or with each other (the rows list shows which).
  const importNotes = (cr.warnings ?? []).filter((w) => w.reason.startsWith('import.national_ids'));
  const isImport = cr.kind.startsWith('import_') || importNotes.length > 0;
  return (
    <fieldset class="notice notice--warning nid-decision" data-testid="nid-decision">
      <legend class="section__title">{t('cr.nid.title')}</legend>
      {/* An import's rows are many and may repeat an ID among themselves: its own intro, not one person's. */}
      <p data-testid="nid-intro" data-intro={isImport ? 'import' : 'person'}>
        {t(isImport ? 'cr.nid.import_intro' : 'cr.nid.intro')}
      </p>
      {others.map((p) => (
        <p key={p.id} data-testid="nid-other">
          {t('cr.nid.other', { name: personName(p, lang, p.id) })}{' '}
          <a href={href(`/households/${p.household_id}`)} target="_blank" rel="noopener" data-testid="nid-other-link">
            {t('cr.nid.open_other')}
          </a>
        </p>
      ))}
      {importNotes.map((w) => (
        <p key={w.reason} dir="auto" data-testid="nid-import">
          {w.message}
        </p>
      ))}
      {others.length === 0 && importNotes.length === 0 && <p>{t('cr.nid.other_hidden')}</p>}
      <p class="field__label">{t('cr.nid.choice')}</p>
      <label class="checkbox">
        <input type="radio" name="nid-choice" checked={choice === 'same'} data-testid="nid-same" onChange={() => onChoice('same')} />
        {canMerge ? t('cr.nid.same_merge') : t('cr.nid.same')}
      </label>
      <label class="checkbox">
        <input type="radio" name="nid-choice" checked={choice === 'not_same'} data-testid="nid-not-same" onChange={() => onChoice('not_same')} />
        {t('cr.nid.not_same')}
      </label>
      {choice === 'not_same' && <p class="toolbar__hint">{t('cr.nid.needs_comment')}</p>}
      {choice === 'same' && (
        <div class="actions-row">
          <button type="button" class="btn btn--danger" disabled={busy} data-testid="nid-same-submit" onClick={onSamePerson}>
            {canMerge ? t('cr.nid.same_merge') : t('cr.nid.same')}
          </button>
        </div>
      )}
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------
// Approve / reject.

export function ReviewForm({ cr, user, onReviewed }: {
  cr: ChangeRequest;
  user: User;
  /** `mergeId`: the merge request filed instead, when the reviewer found the same person twice. */
  onReviewed: (cr: ChangeRequest, mergeId?: number) => void;
}) {
  const { t, lang } = useI18n();
  const [comment, setComment] = useState('');
  const [ack, setAck] = useState(false);
  const [needsAck, setNeedsAck] = useState(false);
  const [problem, setProblem] = useState<{ kind: 'four_eyes' | 'conflict' | 'comment' | 'other'; text: string } | null>(null);
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const own = cr.author === user.username;
  // A national ID of the request is held by another active person: the reviewer says whether it is the same person.
  const [needsNid, setNeedsNid] = useState((cr.warnings ?? []).some((w) => isNidReason(w.reason)));
  const [nidChoice, setNidChoice] = useState<NidChoice>(null);

  const after = (updated: ChangeRequest, mergeId?: number) => {
    // Keep the diff: the review answer has no payload.
    onReviewed({ ...cr, ...updated, payload: cr.payload, current: cr.current }, mergeId);
  };

  const approve = async () => {
    setProblem(null);
    if (needsNid && !comment.trim()) {
      setProblem({ kind: 'comment', text: t('cr.nid.needs_comment') });
      document.getElementById('review-comment')?.focus();
      return;
    }
    setBusy('approve');
    try {
      after(await registry.approve(cr.id, comment.trim(), ack, needsNid && nidChoice === 'not_same'));
    } catch (err) {
      if (err instanceof ApiError && isNidReason(err.reason)) {
        setNeedsNid(true);
        setProblem({ kind: 'other', text: err.message });
      } else if (err instanceof ApiError && err.status === 409) {
        setNeedsAck(true);
        setProblem({ kind: 'conflict', text: err.message });
      } else if (err instanceof ApiError && err.status === 403 && own) {
        setProblem({ kind: 'four_eyes', text: t('cr.four_eyes') });
      } else {
        setProblem({ kind: 'other', text: errorMessage(t, err) });
      }
    } finally {
      setBusy(null);
    }
  };
  // Same person: the request is rejected, and a person update becomes a merge into the other holder.
  const samePerson = async () => {
    setProblem(null);
    const holder = (cr.warnings ?? []).find((w) => w.reason === 'person.national_id_in_use' && w.person_id !== undefined);
    const other = holder ? cr.current?.persons.find((p) => p.id === holder.person_id) : undefined;
    const text = comment.trim() || t('cr.nid.same_comment', { ref: other ? personName(other, lang, other.id) : '—' });
    setBusy('reject');
    try {
      const rejected = await registry.reject(cr.id, text);
      const duplicate = (cr.payload ?? {})['person_id'];
      let merge: number | undefined;
      if (cr.kind === 'update_person' && other && typeof duplicate === 'number') {
        merge = (await registry.propose('merge_persons', { person_id: other.id, duplicate_person_id: duplicate })).id;
      }
      after(rejected, merge);
    } catch (err) {
      setProblem({ kind: 'other', text: errorMessage(t, err) });
    } finally {
      setBusy(null);
    }
  };
  const reject = async () => {
    setProblem(null);
    if (!comment.trim()) {
      setProblem({ kind: 'comment', text: t('cr.reject_needs_comment') });
      document.getElementById('review-comment')?.focus();
      return;
    }
    setBusy('reject');
    try {
      after(await registry.reject(cr.id, comment.trim()));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403 && own) setProblem({ kind: 'four_eyes', text: t('cr.four_eyes') });
      else setProblem({ kind: 'other', text: errorMessage(t, err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card review" aria-labelledby="review-title" data-testid="review-form">
      <h2 class="section__title" id="review-title">
        {t('cr.review')}
      </h2>
      {own && <p class="muted" data-testid="own-request-hint">{t('cr.own_request_hint')}</p>}
      {needsNid && !own && (
        <NationalIdDecision cr={cr} choice={nidChoice} onChoice={setNidChoice} busy={busy !== null} onSamePerson={() => void samePerson()} />
      )}

      <div class="field">
        <label class="field__label" for="review-comment">
          {t('cr.comment')}
        </label>
        <textarea
          id="review-comment"
          class="input textarea"
          rows={3}
          value={comment}
          maxLength={2000}
          aria-invalid={problem?.kind === 'comment' ? 'true' : undefined}
          aria-describedby="review-comment-hint"
          data-testid="review-comment"
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <p class="toolbar__hint" id="review-comment-hint">
          {t('cr.comment_hint')}
        </p>
      </div>
      {(needsAck || cr.conflicts_with.length > 0) && (
        <label class="checkbox">
          <input type="checkbox" checked={ack} data-testid="ack-conflicts" onChange={(e) => setAck(e.currentTarget.checked)} />
          {t('cr.ack_conflicts')}
        </label>
      )}
      {problem && (
        <div class={`notice ${problem.kind === 'conflict' ? 'notice--warning' : 'notice--error'}`} role="alert" data-testid={`review-problem-${problem.kind}`}>
          {problem.kind === 'conflict' && <p>{t('cr.conflict_detected')}</p>}
          <p>{problem.text}</p>
        </div>
      )}
      <div class="actions-row">
        <button
          type="button"
          class="btn btn--primary"
          disabled={own || busy !== null || (needsAck && !ack) || (needsNid && nidChoice !== 'not_same')}
          title={own ? t('cr.approve_disabled_own') : undefined}
          data-testid="approve"
          onClick={() => void approve()}
        >
          {busy === 'approve' ? t('form.submitting') : t('cr.approve')}
        </button>
        <button type="button" class="btn btn--danger" disabled={busy !== null} data-testid="reject" onClick={() => void reject()}>
          {busy === 'reject' ? t('form.submitting') : t('cr.reject')}
        </button>
      </div>
    </section>
  );
}

import { useState } from 'preact/hooks';

import { AreaLabel } from '../components/AreaPicker';
import { errorMessage } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { linkage } from '../linkage';
import type { Candidate, CandidatePerson } from '../linkage';
import { PERSON_FIELD_BY_NAME, displayName, fieldKey, formatValue, vocabKey } from '../registry';
import { href } from '../router';

// One candidate pair of the deduplication queue: the two records side by side, the weight each field
// contributed, and the decision — same person (a merge request for a second person to approve) or
// different persons (with the comment saying why; a reviewer can undo it and put the pair back).

const SIDE_FIELDS = [
  'given_name_ar',
  'family_name_ar',
  'given_name_lat',
  'family_name_lat',
  'father_name_ar',
  'mother_name_ar',
  'sex',
  'birth_date',
  'birth_commune_code',
  'national_id',
  'phone',
  'relationship',
  'status',
] as const;

/** A translated message for `key`, or `fallback` when the catalogue has none. */
function tOr(t: (k: MessageKey) => string, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
}

function defaultKeep(c: Candidate): number {
  // A head cannot be merged away from the members of their household: keep the head when only one is.
  const aHead = c.a.relationship === 'head';
  const bHead = c.b.relationship === 'head';
  return bHead && !aHead ? c.b.id : c.a.id;
}

export function PairCard({ c: initial }: { c: Candidate }) {
  const i18n = useI18n();
  const { t, num, lang, dateTime } = i18n;
  const [c, setC] = useState(initial);
  const [keep, setKeep] = useState<number>(() => defaultKeep(initial));
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'confirm' | 'reject' | 'reopen' | null>(null);
  const [error, setError] = useState<unknown>(null);

  // "Different persons" closes the pair for good, so the reviewer says why (the server insists too).
  const commentMissing = comment.trim() === '';
  const decide = async (what: 'confirm' | 'reject' | 'reopen') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'confirm') setC(await linkage.confirm(c.id, keep, comment));
      else if (what === 'reject') setC(await linkage.reject(c.id, comment.trim()));
      else {
        setC(await linkage.reopen(c.id));
        setComment('');
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const sides: [string, CandidatePerson][] = [
    ['a', c.a],
    ['b', c.b],
  ];
  const fieldsExplained = c.explanation?.fields ?? [];
  return (
    <article class="card pair" data-testid="pair" data-id={c.id} data-weight={c.weight} data-a={c.a.id} data-b={c.b.id} data-status={c.status} data-heads={[c.a, c.b].filter((p) => p.relationship === 'head').length}>
      <header class="pair__head">
        <h3 class="pair__title">
          <bdi>{displayName(c.a, lang)}</bdi> ↔ <bdi>{displayName(c.b, lang)}</bdi>
        </h3>
        <span class={`badge badge--band-${c.band}`}>{t(`dedup.band.${c.band}` as MessageKey)}</span>
        <span class="pair__score" data-testid="pair-score">
          {t('dedup.weight')}: <bdi dir="ltr">{num(c.weight, { maximumFractionDigits: 1 })}</bdi> · {t('dedup.probability')}:{' '}
          {num(c.probability, { style: 'percent', maximumFractionDigits: 1 })}
        </span>
      </header>

      <div class="table-wrap">
        <table class="table pair__records" data-testid="pair-records">
          <thead>
            <tr>
              <th scope="col">{t('cr.field')}</th>
              {sides.map(([k, p]) => (
                <th key={k} scope="col">
                  {t(k === 'a' ? 'dedup.record_a' : 'dedup.record_b')} ·{' '}
                  {p.household_id ? (
                    <a href={href(`/households/${p.household_id}`)} data-testid={`household-link-${k}`}>
                      <bdi dir="ltr">{p.household_ref ?? p.household_id}</bdi>
                    </a>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SIDE_FIELDS.map((f) => {
              const def = PERSON_FIELD_BY_NAME.get(f);
              const show = (p: CandidatePerson) =>
                f === 'status' ? (p.status ? t(vocabKey('status', p.status)) : t('common.none')) : formatValue(i18n, def, (p as Record<string, unknown>)[f]);
              const va = show(c.a);
              const vb = show(c.b);
              return (
                <tr key={f} class={va !== vb ? 'pair__row--differs' : undefined}>
                  <th scope="row">{t(fieldKey(f))}</th>
                  <td>
                    <bdi>{va}</bdi>
                  </td>
                  <td>
                    <bdi>{vb}</bdi>
                  </td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{t('dedup.commune')}</th>
              <td>{c.a.commune_code ? <AreaLabel code={c.a.commune_code} /> : t('common.none')}</td>
              <td>{c.b.commune_code ? <AreaLabel code={c.b.commune_code} /> : t('common.none')}</td>
            </tr>
          </tbody>
        </table>
      </div>

      {fieldsExplained.length > 0 && (
        <details class="pair__explain" open>
          <summary>{t('dedup.explain')}</summary>
          <div class="table-wrap">
            <table class="table" data-testid="pair-explanation">
              <thead>
                <tr>
                  <th scope="col">{t('dedup.comparison')}</th>
                  <th scope="col">{t('dedup.level')}</th>
                  <th scope="col" class="num">
                    {t('dedup.weight')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {fieldsExplained.map((f) => (
                  <tr key={f.comparison} data-testid="explain-row" data-field={f.comparison}>
                    <th scope="row">{f.comparison_text ?? tOr(t, `dedup.cmp.${f.comparison}`, f.comparison)}</th>
                    <td>
                      {f.level === 0 ? t('dedup.level_null') : <bdi>{f.label_text ?? f.label}</bdi>}
                    </td>
                    <td class={`num weight ${f.weight > 0.05 ? 'weight--pos' : f.weight < -0.05 ? 'weight--neg' : 'weight--zero'}`}>
                      <bdi dir="ltr">
                        {f.weight > 0 ? '+' : ''}
                        {num(f.weight, { maximumFractionDigits: 2 })}
                      </bdi>
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('dedup.prior')}</th>
                  <td />
                  <td class="num weight weight--neg">
                    <bdi dir="ltr">{num(c.explanation?.prior ?? 0, { maximumFractionDigits: 2 })}</bdi>
                  </td>
                </tr>
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('dedup.total')}</th>
                  <td />
                  <td class={`num weight ${c.weight >= 0 ? 'weight--pos' : 'weight--neg'}`}>
                    <bdi dir="ltr">{num(c.weight, { maximumFractionDigits: 2 })}</bdi>
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      )}

      {c.status === 'pending' && c.a.relationship === 'head' && c.b.relationship === 'head' && (
        <div class="notice notice--warning" role="note" data-testid="pair-both-heads">
          {t('dedup.both_heads')}
        </div>
      )}
      {c.status === 'pending' ? (
        <div class="pair__actions">
          <fieldset class="pair__keep">
            <legend>{t('dedup.keep')}</legend>
            {sides.map(([k, p]) => (
              <label key={k} class="checkbox">
                <input type="radio" name={`keep-${c.id}`} value={p.id} checked={keep === p.id} onChange={() => setKeep(p.id)} data-testid={`keep-${k}`} />{' '}
                <span>
                  {t(k === 'a' ? 'dedup.record_a' : 'dedup.record_b')} · <bdi>{displayName(p, lang)}</bdi>
                </span>
              </label>
            ))}
          </fieldset>
          <label class="field pair__comment">
            <span class="field__label">{t('cr.comment')}</span>
            <textarea
              class="input"
              rows={2}
              maxLength={1000}
              value={comment}
              onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
              aria-describedby={`pair-comment-hint-${c.id}`}
              data-testid="pair-comment"
            />
            <span class="field__hint muted" id={`pair-comment-hint-${c.id}`}>
              {t('dedup.reject_comment_hint')}
            </span>
          </label>
          <div class="pair__buttons">
            <button type="button" class="btn btn--primary" disabled={busy !== null} onClick={() => void decide('confirm')} data-testid="pair-confirm">
              {t('dedup.confirm')}
            </button>
            <button type="button" class="btn btn--secondary" disabled={busy !== null || commentMissing} onClick={() => void decide('reject')} data-testid="pair-reject">
              {t('dedup.reject')}
            </button>
          </div>
          {error !== null && (
            <div class="notice notice--error" role="alert" data-testid="pair-error">
              {errorMessage(t, error)}
            </div>
          )}
        </div>
      ) : (
        <div class={`notice ${c.status === 'confirmed' ? 'notice--info' : 'notice--warning'}`} role="status" data-testid="pair-decided">
          {c.status === 'confirmed' && c.change_request_id ? (
            <p>
              {t('dedup.merge_filed', { id: String(c.change_request_id) })}{' '}
              <a href={href('/change-requests', { status: 'pending', id: String(c.change_request_id) })} data-testid="merge-request-link">
                {t('dedup.open_inbox')}
              </a>
            </p>
          ) : (
            <p>{t('dedup.rejected_note')}</p>
          )}
          {c.decided_by && (
            <p class="muted">
              <bdi dir="ltr">{c.decided_by}</bdi>
              {c.decided_at && <> · {dateTime(c.decided_at)}</>}
              {c.comment && (
                <>
                  {' '}
                  · <bdi data-testid="pair-decided-comment">{c.comment}</bdi>
                </>
              )}
            </p>
          )}
          {c.status === 'rejected' && (
            <p>
              <button type="button" class="btn btn--secondary" disabled={busy !== null} onClick={() => void decide('reopen')} data-testid="pair-reopen">
                {t('dedup.reopen')}
              </button>
            </p>
          )}
          {error !== null && (
            <div class="notice notice--error" role="alert" data-testid="pair-error">
              {errorMessage(t, error)}
            </div>
          )}
        </div>
      )}
    </article>
  );
}

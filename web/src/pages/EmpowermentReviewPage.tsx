import { useEffect, useState } from 'preact/hooks';
import { empowermentFundingApi } from '../api';
import type { EmpApplicationDetail } from '../api';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import { money, TRAINING_TOPICS } from './EmpowermentCallsPage';

// #/funding-calls/applications/{id}: one funding application (its read audited on the server).
// Reviewers (empowerment.committee) score the call's rubric or declare a conflict of interest; staff
// (empowerment.manage) submit, check eligibility, shortlist, sign the agreement with its tranches and pay
// each tranche when its milestone is met. Every step is checked by the server's state machine.

function ReviewForm({ app, onDone }: { app: EmpApplicationDetail; onDone: () => void }) {
  const { t } = useI18n();
  const [points, setPoints] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = conflict
      ? { conflict_of_interest: true }
      : { points: Object.fromEntries(app.call.rubric.map((c) => [c.code, Number(points[c.code] ?? '')])) };
    if (comment) body.comment = comment;
    empowermentFundingApi.step(app.id, 'reviews', body).then(onDone).catch(setError);
  };
  return (
    <form class="form" onSubmit={submit} noValidate data-testid="empf-review-form">
      <h2>{t('empf.reviews')}</h2>
      <label class="sim-check">
        <input type="checkbox" checked={conflict} onChange={(e) => setConflict(e.currentTarget.checked)} data-testid="empf-conflict" />
        {t('empf.declare_conflict')}
      </label>
      {!conflict && (
        <table class="table">
          <tbody>
            {app.call.rubric.map((c) => (
              <tr key={c.code}>
                <th>
                  <bdi>{c.code}</bdi> (0–{c.max_points}, ×{c.weight})
                </th>
                <td>
                  <input
                    class="input"
                    type="number"
                    min={0}
                    max={c.max_points}
                    aria-label={c.code}
                    value={points[c.code] ?? ''}
                    onInput={(e) => setPoints({ ...points, [c.code]: e.currentTarget.value })}
                    data-testid={`empf-points-${c.code}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <textarea class="input" aria-label={t('empf.comment')} placeholder={t('empf.comment')} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      {error ? <ErrorNotice error={error} /> : null}
      <button class="btn" type="submit" data-testid="empf-save-review">
        {t('empf.save_review')}
      </button>
    </form>
  );
}

function StaffActions({ app, onDone }: { app: EmpApplicationDetail; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [tranches, setTranches] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = (step: string, body: Record<string, unknown> = {}) => {
    setError(null);
    empowermentFundingApi.step(app.id, step, body).then(onDone).catch(setError);
  };
  const move = (to: string) => act('transitions', { to, ...(reason ? { reason } : {}), ...(note ? { public_note: note } : {}) });
  const sign = (e: Event) => {
    e.preventDefault();
    const plan = tranches
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        // "milestone, amount" or "milestone, amount, training topic" (a tranche-release condition).
        const parts = l.split(',').map((x) => x.trim());
        const topic = (TRAINING_TOPICS as readonly string[]).includes(parts[parts.length - 1] ?? '') ? parts.pop() : undefined;
        const amount = parts.pop() ?? '';
        return { milestone: parts.join(',').trim(), amount_minor: Math.round(Number(amount) * 100), ...(topic ? { requires_training: topic } : {}) };
      });
    act('agreement', { tranches: plan });
  };
  const s = app.state;
  return (
    <div class="empf-actions" data-testid="empf-actions">
      <h2>{t('empf.actions')}</h2>
      {(s === 'draft' || s === 'awaiting_information') && (
        <button class="btn" type="button" onClick={() => act('submit')} data-testid="empf-submit">
          {t('empf.submit')}
        </button>
      )}
      {s === 'submitted' && (
        <button class="btn" type="button" onClick={() => act('eligibility')} data-testid="empf-eligibility">
          {t('empf.check_eligibility')}
        </button>
      )}
      {(s === 'scored' || s === 'deferred' || s === 'funded' || s === 'monitoring') && (
        <div class="empf-inline">
          <input class="input" aria-label={t('empf.reason')} placeholder={t('empf.reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <input class="input" aria-label={t('empf.public_note')} placeholder={t('empf.public_note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {(s === 'scored' || s === 'deferred') && (
            <button class="btn" type="button" onClick={() => move('shortlisted')} data-testid="empf-shortlist">
              {t('empf.shortlist')}
            </button>
          )}
          {s === 'scored' && (
            <button class="btn btn--secondary" type="button" onClick={() => move('not_retained')}>
              {t('empf.not_retain')}
            </button>
          )}
          {s === 'monitoring' && (
            <button class="btn" type="button" onClick={() => move('completed')}>
              {t('empf.state.completed')}
            </button>
          )}
          {(s === 'funded' || s === 'monitoring') && (
            <button class="btn btn--secondary" type="button" onClick={() => move('abandoned')}>
              {t('empf.state.abandoned')}
            </button>
          )}
        </div>
      )}
      {s === 'approved' && (
        <form class="form" onSubmit={sign} noValidate>
          <h3>{t('empf.agreement')}</h3>
          <textarea class="input" rows={3} aria-label={t('empf.agreement')} value={tranches} onInput={(e) => setTranches(e.currentTarget.value)} data-testid="empf-tranches" />
          <p class="field__hint">{t('empf.tranches_hint')}</p>
          <button class="btn" type="submit" data-testid="empf-sign">
            {t('empf.sign')}
          </button>
        </form>
      )}
      {(s === 'agreement_signed' || s === 'funded') &&
        app.tranches
          .filter((tr) => !tr.paid_on)
          .slice(0, 1)
          .map((tr) => (
            <button key={tr.n} class="btn" type="button" onClick={() => act(`tranches/${tr.n}/pay`)} data-testid="empf-pay">
              {t('empf.pay')} ({i18n.num(tr.n)})
            </button>
          ))}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

export function EmpowermentReviewPage({ id, canReview, canManage }: { id: string; canReview: boolean; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [app, setApp] = useState<EmpApplicationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    empowermentFundingApi.application(id).then(setApp).catch(setError);
  };
  useEffect(load, [id]);
  if (error && !app) return <ErrorNotice error={error} onRetry={load} />;
  if (!app) return <Loading />;
  const m = (minor: number) => money(i18n, minor, app.call.currency);
  const reviewing = canReview && (app.state === 'eligible' || app.state === 'under_review');
  return (
    <section class="card" data-testid="empf-application">
      <p>
        <a href={href(`/funding-calls/${app.call_id}`)}>{t('empf.back_to_call')}</a>
      </p>
      <h1>
        {t('empf.application')} #{i18n.num(app.id)} — <bdi>{app.call.code}</bdi>
      </h1>
      <dl class="empf-budget">
        <div>
          <dt>{t('empf.state')}</dt>
          <dd data-testid="empf-state">{t(`empf.state.${app.state}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('empf.registration')}</dt>
          <dd>
            <a href={href(`/empowerment/${app.registration_id}`)}>{i18n.num(app.registration_id)}</a>
          </dd>
        </div>
        <div>
          <dt>{t('empf.requested')}</dt>
          <dd>{m(app.requested_minor)}</dd>
        </div>
        <div>
          <dt>{t('empf.approved')}</dt>
          <dd>{app.approved_minor === null ? '—' : m(app.approved_minor)}</dd>
        </div>
        <div>
          <dt>{t('empf.score')}</dt>
          <dd data-testid="empf-score">{app.score === null ? '—' : i18n.num(app.score, { maximumFractionDigits: 1 })}</dd>
        </div>
      </dl>
      <h2>{t('empf.summary')}</h2>
      <p dir="auto">{app.summary}</p>
      {app.reasons.length > 0 && (
        <>
          <h2>{t('empf.reasons')}</h2>
          <ul>
            {app.reasons.map((r) => (
              <li key={r}>{t(r as MessageKey, app.call.eligibility.requires_training ? { topic: t(`emt.topic.${app.call.eligibility.requires_training}` as MessageKey) } : undefined)}</li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('empf.reviews')}</h2>
      <table class="table" data-testid="empf-reviews">
        <thead>
          <tr>
            <th>{t('empf.reviewer')}</th>
            <th>{t('empf.points')}</th>
            <th>{t('empf.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {app.reviews.map((r) => (
            <tr key={r.reviewer}>
              <td>
                <bdi>{r.reviewer}</bdi>
              </td>
              <td dir="ltr">
                {r.conflict_of_interest
                  ? t('empf.conflict')
                  : Object.entries(r.points)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(' · ')}
              </td>
              <td dir="auto">{r.comment ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {reviewing && <ReviewForm key={app.version} app={app} onDone={load} />}
      {app.minutes && (
        <>
          <h2>{t('empf.minutes')}</h2>
          <p dir="auto">{app.minutes}</p>
        </>
      )}
      {app.tranches.length > 0 && (
        <>
          <h2>{t('empf.agreement')}</h2>
          <table class="table" data-testid="empf-tranche-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('empf.milestone')}</th>
                <th>{t('empf.amount')}</th>
                <th>{t('empf.requires_training')}</th>
                <th>{t('empf.paid_on')}</th>
              </tr>
            </thead>
            <tbody>
              {app.tranches.map((tr) => (
                <tr key={tr.n}>
                  <td>{i18n.num(tr.n)}</td>
                  <td dir="auto">{tr.milestone}</td>
                  <td class="num">{m(tr.amount_minor)}</td>
                  <td>{tr.requires_training ? t(`emt.topic.${tr.requires_training}` as MessageKey) : '—'}</td>
                  <td>{tr.paid_on ? i18n.date(tr.paid_on) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {canManage && <StaffActions key={app.version} app={app} onDone={load} />}
      {error ? <ErrorNotice error={error} /> : null}
      <h2>{t('empf.history')}</h2>
      <ol class="empf-history">
        {app.events.map((e, i) => (
          <li key={i}>
            {i18n.dateTime(e.at)} — {t(`empf.state.${e.to}` as MessageKey)} — <bdi>{e.actor}</bdi>
            {e.note ? <> — <bdi>{e.note}</bdi></> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

// The household's socio-economic index with "why this score" (each part's contribution, largest first),
// and its eligibility for each programme of its country with the amounts and the reasons, as the
// server computes them (GET /households/{id}/score and /eligibility).
import { useEffect, useState } from 'preact/hooks';
import { householdScoreApi } from '../../api';
import type { HouseholdEligibility, HouseholdScore, ProgrammeEligibility } from '../../api';
import { ErrorNotice, Loading } from '../ErrorNotice';
import { useLoaded } from '../listState';
import { hasText, useI18n } from '../../i18n';
import type { I18n, MessageKey } from '../../i18n';
import { VOCAB, fieldKey, vocabKey } from '../../registry';
import type { VocabName } from '../../registry';

/** A contribution's label in the reader's language: "dwelling_type=villa/per_capita@urban" → its parts. */
export function partLabel(t: I18n['t'], label: string): string {
  if (label === 'intercept' || label === 'region') return t(`score.part.${label}` as MessageKey);
  const m = /^([a-z0-9_]+)(?:=([a-z0-9_]+))?(?:\/([a-z_]+))?(?:@(urban|rural))?$/.exec(label);
  if (!m) return label;
  const [, name = '', category, per, area] = m;
  const own = `score.var.${name}`;
  let text = hasText(own) ? t(own as MessageKey) : hasText(`field.${name}`) ? t(fieldKey(name)) : name;
  if (category) {
    const vocab = name as VocabName;
    text += `: ${vocab in VOCAB && hasText(`v.${vocab}.${category}`) ? t(vocabKey(vocab, category)) : category}`;
  }
  if (per === 'per_capita' || per === 'annual_per_capita') text += ` (${t(`score.per.${per}` as MessageKey)})`;
  if (area) text += ` · ${t(`score.area.${area}` as MessageKey)}`;
  return text;
}

function currentMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function ScoreSection({ id }: { id: number }) {
  const i18n = useI18n();
  const { t, num, date, dateTime } = i18n;
  const [score, setScore] = useState<HouseholdScore | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    householdScoreApi
      .score(id, ctrl.signal)
      .then(setScore)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [id]);

  const parts = Object.entries(score?.contributions ?? {}).filter(([k]) => k !== 'intercept');
  parts.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]));
  const widest = Math.max(1e-12, ...parts.map(([, v]) => Math.abs(v)));
  const signed = (v: number) => num(v, { signDisplay: 'exceptZero', minimumFractionDigits: 3, maximumFractionDigits: 4 });

  return (
    <section class="section" aria-labelledby="hh-score">
      <h2 class="section__title" id="hh-score">
        {t('score.title')}
      </h2>
      {error !== null && <ErrorNotice error={error} />}
      {score === null && error === null && <Loading />}
      {score && score.score === null && (
        <p class="muted" data-testid="score-none">
          {t('score.none')}
        </p>
      )}
      {score && score.score !== null && (
        <div class="card score" data-testid="score">
          <dl class="facts facts--compact">
            <div class="facts__item">
              <dt>{t('score.value')}</dt>
              <dd>
                <strong class="score__value" data-testid="score-value">
                  {num(score.score, { minimumFractionDigits: 4, maximumFractionDigits: 6 })}
                </strong>
              </dd>
            </div>
            <div class="facts__item">
              <dt>{t('score.model')}</dt>
              <dd>
                <bdi dir="ltr" data-testid="score-model">
                  {score.model} {score.model_version}
                </bdi>
              </dd>
            </div>
            <div class="facts__item">
              <dt>{t('score.scored_on')}</dt>
              <dd>{score.scored_on ? date(score.scored_on) : t('common.none')}</dd>
            </div>
            <div class="facts__item">
              <dt>{t('score.scored_at')}</dt>
              <dd>{score.scored_at ? dateTime(score.scored_at) : t('common.none')}</dd>
            </div>
          </dl>
          <h3 class="score__why-title">{t('score.why')}</h3>
          {score.contributions ? (
            <p class="muted">{t('score.why_hint', { base: signed(score.contributions['intercept'] ?? 0) })}</p>
          ) : (
            <p class="muted" data-testid="score-why-unavailable">
              {t(score.why_unavailable === 'score.why.model_not_kept' ? 'score.why.model_not_kept' : 'score.why.registry_differs')}
            </p>
          )}
          <ol class="score__parts" data-testid="score-parts">
            {parts.map(([k, v]) => (
              <li key={k} class="score__part" data-testid="score-part" data-part={k}>
                <span class="score__label">{partLabel(t, k)}</span>
                <span class="score__bar" aria-hidden="true">
                  <span class={`score__fill ${v < 0 ? 'score__fill--down' : 'score__fill--up'}`} style={{ inlineSize: `${(Math.abs(v) / widest) * 100}%` }} />
                </span>
                <span class="score__amount num" dir="ltr">
                  {signed(v)}
                </span>
              </li>
            ))}
          </ol>
          {score.history.length > 0 && (
            <details class="score__history" data-testid="score-history">
              <summary>{t('score.history', { n: score.history.length })}</summary>
              <ul>
                {score.history.map((h) => (
                  <li key={h.scored_at}>
                    {num(h.score, { minimumFractionDigits: 4, maximumFractionDigits: 6 })} · <bdi dir="ltr">{h.model} {h.model_version}</bdi> ·{' '}
                    {dateTime(h.scored_at)}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

export function EligibilitySection({ id }: { id: number }) {
  const { t, num, lang } = useI18n();
  const [period, setPeriod] = useState(currentMonth);
  // The amounts' labels and the reasons are written by the server in the language it is asked in: read
  // again after a change of language, the cards in the language before staying until then.
  const { data: result, error } = useLoaded<HouseholdEligibility>((signal) => householdScoreApi.eligibility(id, period, signal), `${id}/${period}`);
  const money = (p: ProgrammeEligibility, v: number) => num(v, { style: 'currency', currency: p.currency, maximumFractionDigits: 0 });
  const name = (p: ProgrammeEligibility) => (lang === 'ar' ? p.name_ar : lang === 'fr' ? p.name_fr : p.name_en);
  return (
    <section class="section" aria-labelledby="hh-eligibility">
      <h2 class="section__title" id="hh-eligibility">
        {t('eligibility.title')}
      </h2>
      <div class="toolbar__inline">
        <label class="toolbar__label" for="hh-elig-period">
          {t('eligibility.period')}
        </label>
        <input
          id="hh-elig-period"
          class="input input--small"
          type="month"
          dir="ltr"
          data-testid="eligibility-period"
          value={period}
          onChange={(e) => {
            const v = (e.target as HTMLInputElement).value;
            if (/^\d{4}-\d{2}$/.test(v)) setPeriod(v);
          }}
        />
      </div>
      {error !== null && <ErrorNotice error={error} />}
      {result === null && error === null && <Loading />}
      {result && result.items.length === 0 && <p class="muted">{t('eligibility.none')}</p>}
      {result && result.items.length > 0 && (
        <div class="elig-grid" data-testid="eligibility">
          {result.items.map((p) => (
            <article key={p.code} class={`card elig ${p.eligible ? 'elig--yes' : 'elig--no'}`} data-testid="eligibility-programme" data-code={p.code}>
              <header class="elig__head">
                <h3 class="elig__name">{name(p)}</h3>
                <span class={`badge ${p.eligible ? 'badge--active' : 'badge--muted'}`} data-testid="eligibility-verdict">
                  {t(p.eligible ? 'eligibility.eligible' : 'eligibility.not_eligible')}
                </span>
              </header>
              {p.eligible && (
                <p class="elig__amount">
                  {t('eligibility.monthly')}: <strong data-testid="eligibility-amount">{money(p, p.monthly_amount)}</strong>
                </p>
              )}
              {p.lines.length > 0 && (
                <ul class="elig__lines">
                  {p.lines.map((l) => (
                    <li key={l.code}>
                      {l.label}: <bdi>{money(p, l.amount)}</bdi>
                    </li>
                  ))}
                </ul>
              )}
              {p.one_off.length > 0 && (
                <ul class="elig__lines">
                  {p.one_off.map((l) => (
                    <li key={l.code}>
                      {t('eligibility.one_off')} — {l.label}: <bdi>{money(p, l.amount)}</bdi>
                    </li>
                  ))}
                </ul>
              )}
              {p.reasons.length > 0 && (
                <ul class="elig__reasons" data-testid="eligibility-reasons">
                  {p.reasons.map((r, i) => (
                    <li key={i} dir="auto">
                      {r.text}
                    </li>
                  ))}
                </ul>
              )}
            </article>
          ))}
        </div>
      )}
    </section>
  );
}

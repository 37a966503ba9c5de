import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { cyclesApi, programsApi } from '../api';
import type { CycleDetail, CycleEntry } from '../api';
import { countryOfCode } from '../areas';
import { AreaLabel, AreaText, useRegions } from '../components/AreaPicker';
import { ErrorNotice } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { Pager, pageCount } from '../components/Pager';
import { useLoaded } from '../components/listState';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { money, programmeName } from './CyclesPage';

const PAGE_SIZE = 50;

/** Text set apart from its neighbours' direction (FSI … PDI): a Latin name or a date inside Arabic. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

function Facts({ c }: { c: CycleDetail }) {
  const i18n = useI18n();
  const { t, num, dateTime } = i18n;
  const item = (label: string, value: string, testid?: string) => (
    <div class="facts__item" key={label}>
      <dt>{label}</dt>
      <dd data-testid={testid}>
        <bdi>{value}</bdi>
      </dd>
    </div>
  );
  return (
    <dl class="facts facts--compact" data-testid="cycle-facts">
      {item(t('cycles.state'), t(`cycles.state.${c.state}`), 'cycle-state')}
      {item(t('cycles.cut_off'), dateTime(c.cut_off))}
      {item(t('cycles.considered'), num(c.households_considered), 'cycle-considered')}
      {item(t('cycles.eligible'), num(c.households_eligible), 'cycle-eligible')}
      {item(t('cycles.flagged'), num(c.households_flagged), 'cycle-flagged')}
      {item(t('cycles.total'), money(i18n, c.total_minor, c.currency), 'cycle-total')}
      {item(t('cycles.one_off_total'), money(i18n, c.one_off_total_minor, c.currency))}
      {item(t('cycles.generated'), `${isolate(c.generated_by)} · ${isolate(dateTime(c.generated_at))}`, 'cycle-generated')}
      {c.approved_by && item(t('cycles.approved'), `${isolate(c.approved_by)} · ${isolate(dateTime(c.approved_at ?? ''))}`, 'cycle-approved')}
      {item(t('cycles.digest'), c.programme_digest.slice(0, 16))}
    </dl>
  );
}

function Regions({ c }: { c: CycleDetail }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  // The totals name regions by code: their names, in the reader's language, come from the country's list.
  const regions = useRegions(countryOfCode(c.scope_area) ?? countryOfCode(c.regions.find((r) => r.region)?.region));
  return (
    <section class="section">
      <h2 class="section__title">{t('cycles.by_region')}</h2>
      <div class="table-wrap">
        <table class="table" data-testid="cycle-regions">
          <thead>
            <tr>
              <th scope="col">{t('cycles.region')}</th>
              <th scope="col" class="num">{t('cycles.considered')}</th>
              <th scope="col" class="num">{t('cycles.eligible')}</th>
              <th scope="col" class="num">{t('cycles.flagged')}</th>
              <th scope="col" class="num">{t('cycles.total')}</th>
            </tr>
          </thead>
          <tbody>
            {c.regions.map((r) => (
              <tr key={r.region} data-testid="cycle-region">
                <td>
                  <AreaText code={r.region} area={regions.get(r.region)} />
                </td>
                <td class="num">{num(r.households_considered)}</td>
                <td class="num">{num(r.households_eligible)}</td>
                <td class="num">{num(r.households_flagged)}</td>
                <td class="num">
                  <bdi>{money(i18n, r.total_minor, c.currency)}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Approve (four eyes: disabled for the generator, with the reason) and discard a draft. */
function Decision({ c, canApprove, canManage, onChanged }: { c: CycleDetail; canApprove: boolean; canManage: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [ack, setAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (c.state !== 'draft' || (!canApprove && !canManage)) return null;
  const act = async (what: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      after();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const blocked = c.approve_blocked;
  return (
    <section class="card form-section" data-testid="cycle-decision">
      <h2 class="section__title">{t('cycles.decision')}</h2>
      {c.households_flagged > 0 && (
        <label class="checkbox">
          <input type="checkbox" checked={ack} data-testid="cycle-ack" onChange={(e) => setAck(e.currentTarget.checked)} />
          <span>{t('cycles.acknowledge', { n: c.households_flagged })}</span>
        </label>
      )}
      <div class="actions-row">
        {canApprove && (
          <button
            type="button"
            class="btn btn--primary"
            disabled={busy || !!blocked || (c.households_flagged > 0 && !ack)}
            aria-describedby={blocked ? 'approve-blocked' : undefined}
            data-testid="cycle-approve"
            onClick={() => act(() => cyclesApi.approve(c.id, ack), onChanged)}
          >
            {t('cycles.approve')}
          </button>
        )}
        {canManage && (
          <button type="button" class="btn btn--secondary" disabled={busy} data-testid="cycle-discard" onClick={() => act(() => cyclesApi.discard(c.id), () => navigate('/cycles', { programme: c.programme }))}>
            {t('cycles.discard')}
          </button>
        )}
      </div>
      {blocked && canApprove && (
        <p class="muted" id="approve-blocked" data-testid="cycle-approve-blocked">
          {blocked.text}
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </section>
  );
}

/** Amount lines as the snapshot stores them: {label code: minor units}. */
function amountLines(v: unknown): [string, number][] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
}

/** One entry's frozen snapshot: lines, one-offs, reasons, flags and the inputs. */
function Snapshot({ e, currency }: { e: CycleEntry; currency: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const d = e.details;
  const label = (code: string) => (hasText(code) ? t(code as MessageKey) : code);
  const lines = amountLines(d['lines']);
  const oneOffs = amountLines(d['one_offs']);
  const reasons = Array.isArray(d['reasons']) ? (d['reasons'] as Record<string, unknown>[]) : [];
  const inputs = d['inputs'];
  return (
    <div class="card" data-testid="entry-snapshot">
      <h3 class="section__title">{t('cycles.snapshot', { id: e.household_id })}</h3>
      {lines.length > 0 && (
        <ul data-testid="entry-lines">
          {lines.map(([code, minor]) => (
            <li key={code}>
              <bdi>{label(code)}</bdi>: <bdi>{money(i18n, minor, currency)}</bdi>
            </li>
          ))}
        </ul>
      )}
      {oneOffs.length > 0 && (
        <ul data-testid="entry-one-offs">
          {oneOffs.map(([code, minor]) => (
            <li key={code}>
              <bdi>{label(code)}</bdi>: <bdi>{money(i18n, minor, currency)}</bdi>
            </li>
          ))}
        </ul>
      )}
      {reasons.length > 0 && (
        <ul data-testid="entry-reasons">
          {reasons.map((r, i) => (
            <li key={i}>{String(r['text'] ?? r['code'] ?? '')}</li>
          ))}
        </ul>
      )}
      {e.flags.length > 0 && (
        <ul class="notice notice--warning" data-testid="entry-flags">
          {e.flags.map((f, i) => (
            <li key={i}>{f.text}</li>
          ))}
        </ul>
      )}
      {inputs !== undefined && (
        <details>
          <summary>{t('cycles.inputs')}</summary>
          <pre class="code" dir="ltr">
            {JSON.stringify(inputs, null, 2)}
          </pre>
        </details>
      )}
    </div>
  );
}

function Entries({ c, route }: { c: CycleDetail; route: Route }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const filter = route.params.get('filter') ?? '';
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  const [open, setOpen] = useState<number | null>(null);
  const query = {
    ...(filter === 'eligible' ? { eligible: 'true' } : filter === 'not_eligible' ? { eligible: 'false' } : {}),
    ...(filter === 'flagged' ? { flagged: 'true' } : {}),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const { data: list, error, reload } = useLoaded((signal) => cyclesApi.entries(c.id, query, signal), `${c.id}/${filter}/${page}`);
  const to = (params: Record<string, string | undefined>) => href(`/cycles/${c.id}`, { filter, ...params });
  return (
    <section class="section">
      <h2 class="section__title">{t('cycles.entries')}</h2>
      <div class="tabs" role="tablist">
        {['', 'eligible', 'not_eligible', 'flagged'].map((f) => (
          <a key={f} class="tabs__item" role="tab" aria-selected={f === filter} href={href(`/cycles/${c.id}`, { filter: f })} data-testid={`entries-tab-${f || 'all'}`}>
            {t(`cycles.filter.${f || 'all'}` as 'cycles.filter.all')}
          </a>
        ))}
      </div>
      <ListStatus list={list} error={error} onRetry={reload} empty={t('cycles.no_entries')} />
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table class="table table--interactive" data-testid="entries-table">
            <thead>
              <tr>
                <th scope="col">{t('cycles.household')}</th>
                <th scope="col">{t('cycles.commune')}</th>
                <th scope="col">{t('cycles.eligible')}</th>
                <th scope="col" class="num">{t('cycles.amount')}</th>
                <th scope="col">{t('cycles.flagged')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <Fragment key={e.household_id}>
                  <tr data-testid="entry-row" onClick={() => setOpen(open === e.household_id ? null : e.household_id)}>
                    <td>
                      <button type="button" class="btn btn--ghost btn--small" aria-expanded={open === e.household_id} data-testid="entry-open">
                        {e.household_id}
                      </button>
                    </td>
                    <td>
                      <AreaLabel code={e.commune_code} />
                    </td>
                    <td>{e.eligible ? t('common.yes') : t('common.no')}</td>
                    <td class="num">
                      <bdi>{money(i18n, e.amount_minor, c.currency)}</bdi>
                    </td>
                    <td>{e.flags.length > 0 ? num(e.flags.length) : ''}</td>
                  </tr>
                  {open === e.household_id && (
                    <tr>
                      <td colSpan={5}>
                        <Snapshot e={e} currency={c.currency} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && pageCount(list.total, PAGE_SIZE) > 1 && <Pager page={page} pages={pageCount(list.total, PAGE_SIZE)} hrefFor={(p) => to({ page: String(p) })} />}
    </section>
  );
}

/** #/cycles/12 — a cycle: figures, totals by region, approval, and the frozen entries. */
export function CyclePage({ id, route, canApprove, canManage }: { id: string; route: Route; canApprove: boolean; canManage: boolean }) {
  const { t, lang } = useI18n();
  const { data: programmes } = useLoaded(() => programsApi.list().then((r) => r.items), 'programmes', false);
  const { data: c, error, reload } = useLoaded((signal) => cyclesApi.get(id, signal), id, false);
  if (error) return <ErrorNotice error={error} />;
  if (!c) return <p class="muted">{t('common.loading')}</p>;
  return (
    <div class="page" data-testid="cycle-page" data-state={c.state}>
      <header class="page__header">
        <p>
          <a href={href('/cycles', { programme: c.programme })}>{t('cycles.title')}</a>
        </p>
        <h1 class="page__title">{t('cycles.cycle_title', { programme: programmeName(lang, programmes, c.programme), period: isolate(c.period) })}</h1>
        {c.scope_area && <p class="page__intro">{t('cycles.scoped', { area: c.scope_area })}</p>}
      </header>
      <Facts c={c} />
      <Decision c={c} canApprove={canApprove} canManage={canManage} onChanged={reload} />
      <Regions c={c} />
      <Entries c={c} route={route} />
    </div>
  );
}

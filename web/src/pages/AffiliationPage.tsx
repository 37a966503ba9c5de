import { useEffect, useState } from 'preact/hooks';
import { affiliationApi } from '../api';
import type {
  AffiliationList,
  AffiliationPerson,
  AffiliationProposal,
  AffiliationWorker,
  ContributionPreview,
  User,
} from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { AFFILIATION_REVIEW } from '../nav';
import { href } from '../router';
import type { Route } from '../router';

// #/affiliation?tab=queue|workers|preview|campaign and #/affiliation/workers/ID (docs/affiliation.md):
// lists imported and matched against the registry, the review queue with the list's row beside the
// registry person, affiliated workers and a worker's declarations with their payment status, the
// contribution preview (CASNOS, decree 15-289) and the awareness campaign's figures by commune.

type Tab = 'queue' | 'workers' | 'preview' | 'campaign';
const TABS: readonly Tab[] = ['queue', 'workers', 'preview', 'campaign'];

function fullName(p: AffiliationPerson): { ar: string; lat: string } {
  return {
    ar: [p.given_name_ar, p.family_name_ar].filter(Boolean).join(' '),
    lat: [p.given_name_lat, p.family_name_lat].filter(Boolean).join(' '),
  };
}

function PersonCell({ p }: { p: AffiliationPerson }) {
  const n = fullName(p);
  return (
    <div class="affiliation-person">
      <div>
        <bdi>{n.ar}</bdi>
      </div>
      <div>
        <bdi dir="ltr">{n.lat}</bdi>
      </div>
      <div class="muted">
        <bdi dir="ltr">{p.birth_date ?? ''}</bdi> · <bdi dir="ltr">{p.national_id ?? ''}</bdi>
      </div>
    </div>
  );
}

function ImportForm({ onImported }: { onImported: () => void }) {
  const { t, num } = useI18n();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<AffiliationList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!file || !name) return;
    setError(null);
    affiliationApi.importList(name, 'CASNOS', file).then((l) => {
      setDone(l);
      onImported();
    }, setError);
  };
  return (
    <form class="card affiliation-import" onSubmit={submit} data-testid="affiliation-import">
      <h2>{t('affiliation.import')}</h2>
      <label>
        {t('affiliation.list_name')}
        <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required />
      </label>
      <label>
        {t('affiliation.file')}
        <input type="file" accept=".csv,text/csv" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} required />
      </label>
      <button class="btn btn--primary" type="submit">
        {t('affiliation.send')}
      </button>
      {done && <p class="notice">{t('affiliation.imported', { name: done.name, rows: num(done.rows_total) })}</p>}
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

/** Builds a list from the micro-credit portfolio instead of a file (docs/affiliation.md). */
function FromMicrocredit({ onImported }: { onImported: () => void }) {
  const { t, num } = useI18n();
  const [done, setDone] = useState<AffiliationList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = () => {
    setError(null);
    setBusy(true);
    affiliationApi.listFromMicrocredit('CASNOS').then(
      (l) => {
        setBusy(false);
        setDone(l);
        onImported();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <div class="card affiliation-import" data-testid="affiliation-from-microcredit">
      <h2>{t('mcaff.title')}</h2>
      <p class="muted">{t('mcaff.hint')}</p>
      <button class="btn" type="button" disabled={busy} onClick={run} data-testid="affiliation-from-microcredit-run">
        {t('mcaff.run')}
      </button>
      {done && <p class="notice">{t('affiliation.imported', { name: done.name, rows: num(done.rows_total) })}</p>}
      {error !== null && <ErrorNotice error={error} />}
    </div>
  );
}

function ProposalCard({ p, canReview, onDecided }: { p: AffiliationProposal; canReview: boolean; onDecided: () => void }) {
  const { t, num } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <article class="card affiliation-proposal" data-testid="affiliation-proposal" data-record={p.record_id}>
      <div class="affiliation-proposal__sides">
        <section>
          <h3>{t('affiliation.list_side')}</h3>
          <PersonCell p={p.list_person} />
          <p class="muted">
            {t(`affiliation.activity.${p.activity}` as MessageKey)} · <bdi dir="ltr">{p.registration_number ?? ''}</bdi> ·{' '}
            <bdi>{p.list_name}</bdi>
          </p>
        </section>
        <section>
          <h3>{t('affiliation.registry_side')}</h3>
          <PersonCell p={p.person} />
          <p class="muted">
            {t('affiliation.commune')} <bdi dir="ltr">{p.commune_code}</bdi> · {t('affiliation.weight')} {num(p.weight, { maximumFractionDigits: 1 })}
          </p>
        </section>
      </div>
      {canReview && p.status === 'pending' && (
        <div class="affiliation-proposal__actions">
          <button class="btn btn--primary" type="button" data-testid="accept" onClick={() => affiliationApi.accept(p.id).then(onDecided, setError)}>
            {t('affiliation.accept')}
          </button>
          <input
            aria-label={t('affiliation.reject_reason')}
            placeholder={t('affiliation.reject_reason')}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
          <button class="btn" type="button" data-testid="reject" disabled={!reason.trim()} onClick={() => affiliationApi.reject(p.id, reason).then(onDecided, setError)}>
            {t('affiliation.reject')}
          </button>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </article>
  );
}

function QueueTab({ canReview }: { canReview: boolean }) {
  const { t, num } = useI18n();
  const [tick, setTick] = useState(0);
  // Reloaded after each import or decision: the reload before is aborted, so answering last it never
  // brings back as pending a proposal decided since.
  const { data: items, error: itemsError } = useLoaded((signal) => affiliationApi.proposals('pending', signal).then((p) => p.items), String(tick), false);
  const { data: listsLoaded, error: listsError } = useLoaded(
    (signal) => (canReview ? affiliationApi.lists(signal).then((l) => l.items) : Promise.resolve([])),
    `${tick}/${canReview}`,
    false,
  );
  const lists = listsLoaded ?? [];
  const error = itemsError ?? listsError;
  const reload = () => setTick((n) => n + 1);
  return (
    <>
      {canReview && <ImportForm onImported={reload} />}
      {canReview && <FromMicrocredit onImported={reload} />}
      {lists.length > 0 && (
        <section class="card">
          <h2>{t('affiliation.lists')}</h2>
          <ul class="affiliation-lists">
            {lists.map((l) => (
              <li key={l.id} data-status={l.status}>
                <bdi>{l.name}</bdi> — {t(`affiliation.list.status.${l.status}` as MessageKey)} —{' '}
                {t('affiliation.list.counts', {
                  rows: num(l.rows_total),
                  matched: num(l.matched),
                  proposed: num(l.proposed),
                  affiliated: num(l.already_affiliated),
                  rejected: num(l.previously_rejected),
                })}
              </li>
            ))}
          </ul>
          <button class="btn" type="button" onClick={reload}>
            ↻
          </button>
        </section>
      )}
      {error !== null && <ErrorNotice error={error} />}
      {items && items.length === 0 && <p class="muted">{t('affiliation.no_proposals')}</p>}
      {items?.map((p) => <ProposalCard key={p.id} p={p} canReview={canReview} onDecided={reload} />)}
    </>
  );
}

function WorkersTab() {
  const { t } = useI18n();
  const [items, setItems] = useState<AffiliationWorker[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    affiliationApi.workers().then((p) => setItems(p.items), setError);
  }, []);
  if (error) return <ErrorNotice error={error} />;
  if (!items) return null;
  if (items.length === 0) return <p class="muted">{t('affiliation.no_workers')}</p>;
  return (
    <table class="table" data-testid="affiliation-workers">
      <thead>
        <tr>
          <th>{t('affiliation.name')}</th>
          <th>{t('affiliation.activity')}</th>
          <th>{t('affiliation.fund')}</th>
          <th>{t('affiliation.commune')}</th>
          <th>{t('affiliation.affiliated_on')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((w) => (
          <tr key={w.id}>
            <td>
              <a href={href(`/affiliation/workers/${w.id}`)}>
                <bdi>{fullName(w.person).ar || fullName(w.person).lat}</bdi>
              </a>
            </td>
            <td>{t(`affiliation.activity.${w.activity}` as MessageKey)}</td>
            <td dir="ltr">{w.fund}</td>
            <td dir="ltr">{w.commune_code}</td>
            <td dir="ltr">{w.affiliated_on}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PreviewTab() {
  const { t, num } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const [base, setBase] = useState(300000);
  const [result, setResult] = useState<ContributionPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    affiliationApi.preview('CASNOS', year, base).then(setResult, (err) => {
      setResult(null);
      setError(err);
    });
  };
  const money = (v: number, currency: string) => num(v, { style: 'currency', currency, maximumFractionDigits: 0 });
  return (
    <form class="card affiliation-preview" onSubmit={submit} data-testid="affiliation-preview">
      <p class="muted">{t('affiliation.preview_note')}</p>
      <label>
        {t('affiliation.year')}
        <input type="number" min={1990} max={2100} value={year} onInput={(e) => setYear(Number((e.target as HTMLInputElement).value))} />
      </label>
      <label>
        {t('affiliation.declared_base')}
        <input type="number" min={0} value={base} data-testid="declared-base" onInput={(e) => setBase(Number((e.target as HTMLInputElement).value))} />
      </label>
      <button class="btn btn--primary" type="submit">
        {t('affiliation.compute')}
      </button>
      {error !== null && <ErrorNotice error={error} />}
      {result && (
        <dl class="affiliation-result" data-testid="preview-result">
          <dt>{t('affiliation.contribution')}</dt>
          <dd data-testid="preview-contribution">{money(result.contribution, result.currency)}</dd>
          <dt>{t('affiliation.base')}</dt>
          <dd>{money(result.base, result.currency)}</dd>
          <dt>{t('affiliation.floor_base')}</dt>
          <dd>{money(result.floor_base, result.currency)}</dd>
          <dt>{t('affiliation.ceiling_base')}</dt>
          <dd>{money(result.ceiling_base, result.currency)}</dd>
          <dt>{t('affiliation.due_from')}</dt>
          <dd>
            <bdi dir="ltr">{result.due_from}</bdi>
          </dd>
          <dt>{t('affiliation.due_by')}</dt>
          <dd>
            <bdi dir="ltr">{result.due_by}</bdi>
          </dd>
          {result.clamped && <dd class="notice">{t(`affiliation.clamped.${result.clamped}` as MessageKey)}</dd>}
        </dl>
      )}
    </form>
  );
}

const CHANNELS = ['visit', 'phone', 'sms', 'meeting'] as const;

function ContactForm({ onRecorded }: { onRecorded: () => void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState('');
  const [channel, setChannel] = useState<string>('visit');
  const [error, setError] = useState<unknown>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    affiliationApi.contact(Number(person), channel).then(() => {
      setPerson('');
      onRecorded();
    }, setError);
  };
  return (
    <form class="card affiliation-preview" onSubmit={submit} data-testid="affiliation-contact">
      <label>
        {t('affiliation.person_id')}
        <input inputMode="numeric" value={person} onInput={(e) => setPerson((e.target as HTMLInputElement).value)} required />
      </label>
      <label>
        {t('affiliation.channel')}
        <select value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value)}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`affiliation.channel.${c}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <button class="btn btn--primary" type="submit">
        {t('affiliation.record_contact')}
      </button>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

function CampaignTab() {
  const { t, num } = useI18n();
  // Reloaded after each contact recorded: the reload before is aborted, so answering last it never
  // brings back the counts as they were before a later contact.
  const { data: campaign, error, reload } = useLoaded((signal) => affiliationApi.campaign(signal), 'campaign', false);
  if (error) return <ErrorNotice error={error} />;
  if (!campaign) return null;
  const { communes: rows, totals } = campaign;
  const form = <ContactForm onRecorded={reload} />;
  if (rows.length === 0)
    return (
      <>
        {form}
        <p class="muted">{t('affiliation.no_campaign')}</p>
      </>
    );
  return (
    <>
      {form}
      <table class="table" data-testid="affiliation-campaign">
        <thead>
          <tr>
            <th>{t('affiliation.commune')}</th>
            <th>{t('affiliation.contacted')}</th>
            <th>{t('affiliation.affiliated_after_contact')}</th>
            <th>{t('affiliation.affiliated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.commune_code}>
              <td dir="ltr">{r.commune_code}</td>
              <td>{num(r.contacted)}</td>
              <td>{num(r.affiliated_after_contact)}</td>
              <td>{num(r.affiliated)}</td>
            </tr>
          ))}
          <tr class="table__total">
            <th>{t('affiliation.total')}</th>
            <td data-testid="campaign-contacted" data-value={totals.contacted}>
              {num(totals.contacted)}
            </td>
            <td>{num(totals.affiliated_after_contact)}</td>
            <td>{num(totals.affiliated)}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

function WorkerView({ id }: { id: string }) {
  const { t, num } = useI18n();
  const [actError, setActError] = useState<unknown>(null);
  const [year, setYear] = useState(new Date().getFullYear());
  const [base, setBase] = useState(0);
  // Reloaded after each declaration or payment: the reload no longer shown is aborted, so an earlier
  // one answering last never brings back the record as it was before the later act.
  const { data: worker, error: loadError, reload } = useLoaded((signal) => affiliationApi.worker(id, signal), id, false);
  const error = actError ?? loadError;
  if (loadError && !worker) return <ErrorNotice error={loadError} />;
  if (!worker) return null;
  const money = (minor: number, currency: string) => num(minor / 100, { style: 'currency', currency });
  const n = fullName(worker.person);
  const declare = (e: Event) => {
    e.preventDefault();
    setActError(null);
    affiliationApi.declare(id, year, base).then(reload, setActError);
  };
  return (
    <section data-testid="affiliation-worker">
      <h2>
        <bdi>{n.ar}</bdi> — <bdi dir="ltr">{n.lat}</bdi>
      </h2>
      <p class="muted">
        {t(`affiliation.activity.${worker.activity}` as MessageKey)} · <bdi dir="ltr">{worker.fund}</bdi> · {t('affiliation.affiliated_on')}{' '}
        <bdi dir="ltr">{worker.affiliated_on}</bdi> · {t('affiliation.registration_number')} <bdi dir="ltr">{worker.registration_number ?? ''}</bdi>
      </p>
      <h3>{t('affiliation.declarations')}</h3>
      {(worker.arrears_minor ?? 0) > 0 && (
        <p class="notice notice--error">{t('affiliation.arrears', { amount: money(worker.arrears_minor ?? 0, worker.declarations?.[0]?.currency ?? 'DZD') })}</p>
      )}
      {worker.declarations && worker.declarations.length > 0 ? (
        <table class="table" data-testid="affiliation-declarations">
          <thead>
            <tr>
              <th>{t('affiliation.year')}</th>
              <th>{t('affiliation.declared_base')}</th>
              <th>{t('affiliation.base')}</th>
              <th>{t('affiliation.contribution')}</th>
              <th>{t('affiliation.paid')}</th>
              <th>{t('affiliation.outstanding')}</th>
              <th>{t('affiliation.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {worker.declarations.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td dir="ltr">{d.year}</td>
                <td>{money(d.declared_base_minor, d.currency)}</td>
                <td>{money(d.base_minor, d.currency)}</td>
                <td>{money(d.contribution_minor, d.currency)}</td>
                <td>{money(d.paid_minor, d.currency)}</td>
                <td>{money(d.outstanding_minor, d.currency)}</td>
                <td>{d.status ? t(`affiliation.status.${d.status}` as MessageKey) : ''}</td>
                <td>
                  {d.outstanding_minor > 0 && (
                    <button
                      class="btn"
                      type="button"
                      data-testid={`pay-${d.year}`}
                      onClick={() => affiliationApi.pay(d.id, d.outstanding_minor).then(reload, setActError)}
                    >
                      {t('affiliation.pay_outstanding')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t('affiliation.no_declarations')}</p>
      )}
      <form class="card affiliation-preview" onSubmit={declare}>
        <label>
          {t('affiliation.year')}
          <input type="number" min={1990} max={2100} value={year} onInput={(e) => setYear(Number((e.target as HTMLInputElement).value))} />
        </label>
        <label>
          {t('affiliation.declared_base')}
          <input type="number" min={0} value={base} onInput={(e) => setBase(Number((e.target as HTMLInputElement).value))} />
        </label>
        <button class="btn btn--primary" type="submit">
          {t('affiliation.declare')}
        </button>
        {error !== null && <ErrorNotice error={error} />}
      </form>
    </section>
  );
}

export function AffiliationPage({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  const canReview = AFFILIATION_REVIEW.some((r) => user.roles.includes(r));
  const workerMatch = /^\/affiliation\/workers\/(\d+)$/.exec(route.path);
  const param = route.params.get('tab') as Tab | null;
  const tab: Tab = workerMatch ? 'workers' : param && TABS.includes(param) ? param : 'queue';
  return (
    <div class="page affiliation-page">
      <h1>{t('affiliation.title')}</h1>
      <div class="tabs" role="group" aria-label={t('affiliation.title')}>
        {TABS.map((k) => (
          <a key={k} class="tabs__item" href={href('/affiliation', { tab: k })} aria-current={tab === k ? 'true' : undefined} data-testid={`tab-${k}`}>
            {t(`affiliation.tab.${k}` as MessageKey)}
          </a>
        ))}
      </div>
      {workerMatch ? (
        <WorkerView key={workerMatch[1]} id={workerMatch[1]!} />
      ) : tab === 'queue' ? (
        <QueueTab canReview={canReview} />
      ) : tab === 'workers' ? (
        <WorkersTab />
      ) : tab === 'preview' ? (
        <PreviewTab />
      ) : (
        <CampaignTab />
      )}
    </div>
  );
}

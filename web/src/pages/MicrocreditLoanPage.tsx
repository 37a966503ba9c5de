import { useState } from 'preact/hooks';
import { microcreditApi } from '../api';
import { BarChart } from '../components/BarChart';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { href, navigate } from '../router';
import type { Route } from '../router';
import { money } from './CyclesPage';
import { LoanTasks } from './MicrocreditTasks';

// #/microcredit/loans/ID?as_of=…: a loan's schedule with what is paid of each instalment and its days
// in arrears on the date, its repayments and the arrears summary (the server's ageing engine);
// #/microcredit/portfolio?as_of=…&by=…: PAR1/30/90, arrears rate, repayment and write-off ratios per
// wilaya (or commune, product, cohort, sex), with a chart of PAR30 beside the arrears rate.

export function MicrocreditLoanPage({ id, route, canRepay }: { id: number; route: Route; canRepay: boolean }) {
  const i18n = useI18n();
  const { t, date, num } = i18n;
  const asOf = route.params.get('as_of') ?? undefined;
  const [payError, setPayError] = useState<unknown>(null);
  const [pay, setPay] = useState({ paid_on: '', amount: '', reference: '' });
  // The loan on a date no longer asked is aborted: when it came last, the page showed the loan on the
  // first date under the second. The loan shown stays until the new one comes.
  const { data: loan, error, reload } = useLoaded((signal) => microcreditApi.loan(id, asOf, signal), `${id}/${asOf ?? ''}`, false);
  if (error) return <ErrorNotice error={error} />;
  if (!loan) return <p class="muted">{t('mc.loading')}</p>;
  const dzd = (minor: number) => money(i18n, minor, loan.currency);
  return (
    <section class="page mc" data-testid="mc-loan">
      <header class="page__header">
        <h1>{t('mc.loan', { id: String(loan.id) })}</h1>
        <span class={`badge mc-loan-state mc-loan-state--${loan.state}`} data-state={loan.state}>
          {t(`mc.loan_state.${loan.state}` as MessageKey)}
        </span>
      </header>
      <form
        class="mc-asof"
        onSubmit={(e) => {
          e.preventDefault();
          const v = ((e.target as HTMLFormElement).elements.namedItem('as_of') as HTMLInputElement).value;
          navigate(`/microcredit/loans/${id}`, { as_of: v });
        }}
      >
        <label>
          {t('mc.as_of')}
          <input type="date" name="as_of" value={loan.as_of} data-testid="mc-asof" />
        </label>
        <button class="btn" type="submit">
          {t('mc.show')}
        </button>
      </form>
      <dl class="mc-facts card" data-testid="mc-arrears">
        <dt>{t('mc.lender')}</dt>
        <dd>{loan.lender}</dd>
        <dt>{t('mc.principal')}</dt>
        <dd>{dzd(loan.principal_minor)}</dd>
        <dt>{t('mc.disbursed_on')}</dt>
        <dd>{date(loan.disbursed_on)}</dd>
        <dt>{t('mc.outstanding')}</dt>
        <dd data-testid="mc-outstanding">{dzd(loan.outstanding_minor)}</dd>
        <dt>{t('mc.overdue')}</dt>
        <dd data-testid="mc-overdue">{dzd(loan.overdue_minor)}</dd>
        <dt>{t('mc.days_in_arrears')}</dt>
        <dd data-testid="mc-days" data-days={loan.days_in_arrears}>
          {num(loan.days_in_arrears)}
        </dd>
        <dt>{t('mc.bucket')}</dt>
        <dd>
          <bdi>{loan.bucket}</bdi>
        </dd>
      </dl>
      <h2>{t('mc.schedule')}</h2>
      <table class="table" data-testid="mc-schedule">
        <thead>
          <tr>
            <th>{t('mc.n')}</th>
            <th>{t('mc.due_on')}</th>
            <th>{t('mc.principal')}</th>
            <th>{t('mc.paid')}</th>
            <th>{t('mc.unpaid')}</th>
            <th>{t('mc.days_in_arrears')}</th>
          </tr>
        </thead>
        <tbody>
          {loan.instalments.map((i) => (
            <tr key={i.n} class={i.days_in_arrears > 0 ? 'mc-late' : undefined} data-days={i.days_in_arrears}>
              <td>{num(i.n)}</td>
              <td>{date(i.due_on)}</td>
              <td>{dzd(i.principal_minor)}</td>
              <td>{dzd(i.paid_minor)}</td>
              <td>{dzd(i.unpaid_minor)}</td>
              <td>{i.days_in_arrears > 0 ? num(i.days_in_arrears) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('mc.repayments')}</h2>
      {loan.repayments.length === 0 ? (
        <p class="muted">{t('mc.no_repayments')}</p>
      ) : (
        <table class="table" data-testid="mc-repayments">
          <thead>
            <tr>
              <th>{t('mc.paid_on')}</th>
              <th>{t('mc.amount')}</th>
              <th>{t('mc.reference')}</th>
              <th>{t('mc.source')}</th>
            </tr>
          </thead>
          <tbody>
            {loan.repayments.map((r) => (
              <tr key={r.id}>
                <td>{date(r.paid_on)}</td>
                <td>{dzd(r.amount_minor)}</td>
                <td>
                  <bdi>{r.reference}</bdi>
                </td>
                <td>{t(`mc.source.${r.source}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRepay && loan.state === 'active' && (
        <form
          class="card mc-form"
          onSubmit={(e) => {
            e.preventDefault();
            setPayError(null);
            microcreditApi.repay(id, pay.paid_on, Number(pay.amount), pay.reference).then(reload, setPayError);
          }}
        >
          <h2>{t('mc.repay')}</h2>
          <label>
            {t('mc.paid_on')}
            <input type="date" value={pay.paid_on} onInput={(e) => setPay({ ...pay, paid_on: (e.target as HTMLInputElement).value })} required />
          </label>
          <label>
            {t('mc.amount')}
            <input inputMode="numeric" value={pay.amount} onInput={(e) => setPay({ ...pay, amount: (e.target as HTMLInputElement).value })} required />
          </label>
          <label>
            {t('mc.reference')}
            <input value={pay.reference} onInput={(e) => setPay({ ...pay, reference: (e.target as HTMLInputElement).value })} required />
          </label>
          <button class="btn btn--primary" type="submit">
            {t('mc.repay')}
          </button>
          {payError !== null && <ErrorNotice error={payError} />}
        </form>
      )}
      <LoanTasks loanId={loan.id} canManage={canRepay} />
      <p>
        <a href={href(`/microcredit/applications/${loan.application_id}`)}>{t('mc.application', { id: String(loan.application_id) })}</a>
      </p>
    </section>
  );
}

const GROUPS = ['wilaya', 'commune', 'product', 'cohort', 'sex'] as const;

export function MicrocreditPortfolioPage({ route }: { route: Route }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const asOf = route.params.get('as_of') ?? undefined;
  const by = route.params.get('by') ?? 'wilaya';
  // The figures for a date or grouping no longer asked are aborted: when they came last, the rows of one
  // grouping were shown under the heading of another.
  const { data, error } = useLoaded((signal) => microcreditApi.portfolio(asOf, by, signal), `${asOf ?? ''}/${by}`);
  const pct = (v: number) => num(v, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <section class="page mc" data-testid="mc-portfolio">
      <header class="page__header">
        <h1>{t('mc.portfolio')}</h1>
      </header>
      <form
        class="mc-asof"
        onSubmit={(e) => {
          e.preventDefault();
          const f = (e.target as HTMLFormElement).elements;
          navigate('/microcredit/portfolio', {
            as_of: (f.namedItem('as_of') as HTMLInputElement).value,
            by: (f.namedItem('by') as HTMLSelectElement).value,
          });
        }}
      >
        <label>
          {t('mc.as_of')}
          <input type="date" name="as_of" value={data?.as_of ?? asOf ?? ''} />
        </label>
        <label>
          {t('mc.by')}
          <select name="by" value={by}>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`mc.by.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button class="btn" type="submit">
          {t('mc.show')}
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} />}
      {data && (
        <>
          <table class="table" data-testid="mc-quality">
            <thead>
              <tr>
                <th>{t(`mc.by.${by}` as MessageKey)}</th>
                <th>{t('mc.loans')}</th>
                <th>{t('mc.outstanding')}</th>
                <th>PAR1</th>
                <th>PAR30</th>
                <th>PAR90</th>
                <th>{t('mc.arrears_rate')}</th>
                <th>{t('mc.repayment_rate')}</th>
                <th>{t('mc.write_off_ratio')}</th>
              </tr>
            </thead>
            <tbody>
              {[...data.groups, { ...data.total, group: t('mc.total') }].map((g) => (
                <tr key={g.group} data-group={g.group}>
                  <td>
                    <bdi>{g.group}</bdi>
                  </td>
                  <td>{num(g.loans)}</td>
                  <td>{money(i18n, g.outstanding_minor, 'DZD')}</td>
                  <td>{pct(g.par1)}</td>
                  <td data-testid="mc-par30">{pct(g.par30)}</td>
                  <td>{pct(g.par90)}</td>
                  <td>{pct(g.arrears_rate)}</td>
                  <td>{pct(g.repayment_rate)}</td>
                  <td>{pct(g.write_off_ratio)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.groups.length > 0 && (
            <BarChart
              title={t('mc.chart')}
              testid="mc-chart"
              categories={data.groups.map((g) => g.group)}
              series={[
                { name: t('mc.arrears_rate'), values: data.groups.map((g) => g.arrears_rate) },
                { name: 'PAR30', values: data.groups.map((g) => g.par30) },
              ]}
              format={pct}
            />
          )}
        </>
      )}
    </section>
  );
}

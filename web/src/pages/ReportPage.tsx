import { useEffect, useState } from 'preact/hooks';
import { ApiError, eservicesApi, SERVICE_CODES } from '../api';
import type { PublicCommune, ReportInput, ServiceCode, Submitted } from '../api';
import { Brand } from '../components/Brand';
import { LangSwitch } from '../components/LangSwitch';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { parseDecimal } from '../numbers';
import { href } from '../router';

// The public e-services form (#/report): report an elderly person in danger or a homeless person, or
// request family counselling — no account (docs/eservices.md). A call-centre agent uses the same form
// signed in (`agent`): the report is then entered as a phoned one. The answer is a tracking code, shown
// once; the status page (#/report/status) reads the report's progress with it.

type Problem = { kind: 'fields'; errors: Record<string, string>; top: string | null } | { kind: 'throttled'; seconds: number } | { kind: 'other'; error: unknown };

const CHANNELS = ['phone', 'video', 'in_person'] as const;

export function CommunePicker({ value, onChange, invalid }: { value: PublicCommune | null; onChange: (c: PublicCommune | null) => void; invalid?: string | undefined }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<PublicCommune[] | null>(null);
  useEffect(() => {
    if (q.trim().length < 2) {
      setItems(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      eservicesApi
        .communes(q.trim(), ctl.signal)
        .then((r) => setItems(r.items))
        .catch(() => setItems([]));
    }, 200);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q]);
  const name = (c: PublicCommune) => (lang === 'ar' ? c.name_ar : c.name_fr);
  return (
    <div class={`field${invalid ? ' field--invalid' : ''}`}>
      <label for="es-commune">{t('es.commune')}</label>
      {value && (
        <p class="es-chosen" data-testid="es-commune-chosen">
          {t('es.commune_chosen', { name: name(value) })} <bdi>({value.code})</bdi>
        </p>
      )}
      <input id="es-commune" type="search" value={q} placeholder={t('es.commune_search')} onInput={(e) => setQ((e.target as HTMLInputElement).value)} data-testid="es-commune-search" autocomplete="off" />
      {items && items.length === 0 && <p class="field__hint">{t('es.commune_none')}</p>}
      {items && items.length > 0 && (
        <ul class="es-communes" role="listbox">
          {items.map((c) => (
            <li key={c.code}>
              <button
                type="button"
                class="btn btn--link"
                data-testid="es-commune-option"
                onClick={() => {
                  onChange(c);
                  setItems(null);
                  setQ('');
                }}
              >
                {name(c)} <bdi class="muted">{lang === 'ar' ? c.name_fr : c.name_ar}</bdi>
              </button>
            </li>
          ))}
        </ul>
      )}
      {invalid && <p class="field__error">{invalid}</p>}
    </div>
  );
}

export function ReportForm({ agent, onSent }: { agent?: boolean; onSent: (s: Submitted) => void }) {
  const { t, dir } = useI18n();
  const [service, setService] = useState<ServiceCode>('elderly_in_danger');
  const [commune, setCommune] = useState<PublicCommune | null>(null);
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [description, setDescription] = useState('');
  const [state, setState] = useState('');
  const [danger, setDanger] = useState(false);
  const [topic, setTopic] = useState('');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('phone');
  const [times, setTimes] = useState('');
  const [white, setWhite] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const counselling = service === 'family_counselling';
  const errors = problem?.kind === 'fields' ? problem.errors : {};

  const message = (reason: string, params: Record<string, string>, fallback: string) => {
    if (!reason || !hasText(reason)) return fallback;
    const shown = { ...params };
    if (shown['value'] !== undefined && dir === 'rtl') shown['value'] = `\u2068${shown['value']}\u2069`;
    return t(reason as MessageKey, shown);
  };

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const body: ReportInput = { service_code: service, commune_code: commune?.code ?? '' };
    const num = (s: string) => (s.trim() === '' ? undefined : parseDecimal(s));
    const la = num(lat), lo = num(lon);
    if (la !== undefined) body.lat = la;
    if (lo !== undefined) body.long = lo;
    if (name.trim()) body.contact_name = name.trim();
    if (phone.trim()) body.contact_phone = phone.trim();
    if (email.trim()) body.contact_email = email.trim();
    if (counselling) {
      body.topic = topic.trim();
      body.counselling_channel = channel;
      if (times.trim()) body.preferred_times = times.trim();
      body.white_army = white;
      if (description.trim()) body.description = description.trim();
    } else {
      body.description = description.trim();
      if (state.trim()) body.apparent_state = state.trim();
      body.immediate_danger = danger;
    }
    setBusy(true);
    setProblem(null);
    try {
      onSent(agent ? await eservicesApi.enterPhoned(body) : await eservicesApi.submit(body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setProblem({ kind: 'throttled', seconds: err.retryAfter ?? 60 });
      } else if (err instanceof ApiError && err.status === 400) {
        const found: Record<string, string> = {};
        const all = err.problems.length ? err.problems : [{ field: err.field, message: err.message, reason: err.reason ?? '', params: err.params }];
        let top: string | null = null;
        for (const p of all) {
          const text = message(p.reason, p.params, p.message);
          if (p.field) found[p.field] = text;
          else top = text;
        }
        setProblem({ kind: 'fields', errors: found, top });
      } else {
        setProblem({ kind: 'other', error: err });
      }
    } finally {
      setBusy(false);
    }
  }

  const text = (id: string, label: MessageKey, value: string, set: (v: string) => void, field: string, multiline = false, type = 'text') => (
    <div class={`field${errors[field] ? ' field--invalid' : ''}`}>
      <label for={id}>{t(label)}</label>
      {multiline ? (
        <textarea id={id} rows={4} value={value} onInput={(e) => set((e.target as HTMLTextAreaElement).value)} data-testid={id} />
      ) : (
        <input id={id} type={type} value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} data-testid={id} dir={type === 'tel' || type === 'email' ? 'ltr' : undefined} />
      )}
      {errors[field] && <p class="field__error">{errors[field]}</p>}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="es-form">
      <fieldset class="es-services">
        <legend>{t('es.service')}</legend>
        {SERVICE_CODES.map((code) => (
          <label key={code} class={`es-service${service === code ? ' es-service--on' : ''}`}>
            <input type="radio" name="service" value={code} checked={service === code} onChange={() => setService(code)} data-testid={`es-service-${code}`} />
            <span>{t(`eservice.service.${code}` as MessageKey)}</span>
          </label>
        ))}
      </fieldset>
      <CommunePicker value={commune} onChange={setCommune} invalid={errors['commune_code']} />
      {!counselling && (
        <div class="es-pin">
          <p class="es-pin__label">{t('es.pin')}</p>
          <div class="form-grid">
            {text('es-lat', 'es.lat', lat, setLat, 'lat', false, 'text')}
            {text('es-lon', 'es.lon', lon, setLon, 'long', false, 'text')}
          </div>
          {'geolocation' in navigator && (
            <button
              type="button"
              class="btn"
              onClick={() =>
                navigator.geolocation.getCurrentPosition((p) => {
                  setLat(p.coords.latitude.toFixed(5));
                  setLon(p.coords.longitude.toFixed(5));
                })
              }
            >
              {t('es.pin_here')}
            </button>
          )}
        </div>
      )}
      {counselling ? (
        <>
          {text('es-topic', 'es.topic', topic, setTopic, 'topic')}
          <div class={`field${errors['counselling_channel'] ? ' field--invalid' : ''}`}>
            <label for="es-channel">{t('es.channel')}</label>
            <select id="es-channel" value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value as (typeof CHANNELS)[number])}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`es.channel.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          {text('es-times', 'es.preferred_times', times, setTimes, 'preferred_times')}
          <label class="checkbox">
            <input type="checkbox" checked={white} onChange={(e) => setWhite((e.target as HTMLInputElement).checked)} data-testid="es-white-army" />
            {t('es.white_army')}
          </label>
        </>
      ) : (
        <>
          {text('es-description', 'es.description', description, setDescription, 'description', true)}
          {text('es-state', 'es.apparent_state', state, setState, 'apparent_state')}
          <label class="checkbox es-danger">
            <input type="checkbox" checked={danger} onChange={(e) => setDanger((e.target as HTMLInputElement).checked)} data-testid="es-danger" />
            {t('es.immediate_danger')}
          </label>
        </>
      )}
      <fieldset class="es-contact">
        <legend>{t('es.contact')}</legend>
        {text('es-name', 'es.contact_name', name, setName, 'contact_name')}
        {text('es-phone', 'es.contact_phone', phone, setPhone, 'contact_phone', false, 'tel')}
        {text('es-email', 'es.contact_email', email, setEmail, 'contact_email', false, 'email')}
      </fieldset>
      {problem && (
        <div class="notice notice--error" role="alert" data-testid="es-error">
          {problem.kind === 'throttled'
            ? t('es.throttled', { seconds: problem.seconds })
            : problem.kind === 'fields'
              ? (problem.top ?? t('es.fix_fields'))
              : problem.error instanceof ApiError && problem.error.message
                ? problem.error.message
                : t('es.fix_fields')}
        </div>
      )}
      <button type="submit" class="btn btn--primary btn--block" disabled={busy} data-testid="es-submit">
        {busy ? t('es.submitting') : t('es.submit')}
      </button>
    </form>
  );
}

export function SentNotice({ sent, onAgain }: { sent: Submitted; onAgain: () => void }) {
  const { t } = useI18n();
  return (
    <div class="es-sent" data-testid="es-sent">
      <h2>{t('es.sent_title')}</h2>
      <p>{t('es.sent_code')}</p>
      <p class="es-code" dir="ltr" data-testid="es-tracking-code">
        {sent.tracking_code}
      </p>
      <p>{t('es.sent_keep')}</p>
      <p>
        <a class="btn btn--primary" href={href('/report/status', { code: sent.tracking_code })} data-testid="es-follow">
          {t('es.sent_follow')}
        </a>{' '}
        <button type="button" class="btn" onClick={onAgain}>
          {t('es.new_report')}
        </button>
      </p>
    </div>
  );
}

export function ReportPage() {
  const { t } = useI18n();
  const [sent, setSent] = useState<Submitted | null>(null);
  return (
    <div class="login-page es-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card es-card" id="main" data-testid="report-page">
        <Brand size="large" />
        <h1>{t('es.title')}</h1>
        <p>{t('es.intro')}</p>
        <p class="notice notice--warning">{t('es.emergency')}</p>
        {sent ? <SentNotice sent={sent} onAgain={() => setSent(null)} /> : <ReportForm onSent={setSent} />}
        <p class="login-card__link">
          <a href="#/report/status">{t('es.status_title')}</a>
        </p>
      </main>
    </div>
  );
}

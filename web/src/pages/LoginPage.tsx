import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { Session } from '../api';
import { Brand } from '../components/Brand';
import { ErrorNotice } from '../components/ErrorNotice';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n';

export type LoginNotice = 'expired' | 'signed_out' | null;

interface Props {
  notice: LoginNotice;
  onLoggedIn: (session: Session) => void;
}

type Problem =
  | { kind: 'required'; field: 'username' | 'password' }
  | { kind: 'invalid' }
  | { kind: 'throttled'; until: number }
  | { kind: 'other'; error: unknown };

export function LoginPage({ notice, onLoggedIn }: Props) {
  const { t, duration } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => usernameRef.current?.focus(), []);

  // Live countdown while throttled: the button stays disabled until the server's delay has passed.
  const throttledUntil = problem?.kind === 'throttled' ? problem.until : 0;
  useEffect(() => {
    if (!throttledUntil) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [throttledUntil]);
  const secondsLeft = throttledUntil ? Math.max(0, Math.ceil((throttledUntil - now) / 1000)) : 0;

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || secondsLeft > 0) return;
    if (!username.trim()) {
      setProblem({ kind: 'required', field: 'username' });
      usernameRef.current?.focus();
      return;
    }
    if (!password) {
      setProblem({ kind: 'required', field: 'password' });
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const session = await api.login(username.trim(), password);
      onLoggedIn(session);
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && err.status === 401) {
        setProblem({ kind: 'invalid' });
        passwordRef.current?.focus();
      } else if (err instanceof ApiError && err.status === 429) {
        const seconds = err.retryAfter ?? 60;
        setNow(Date.now());
        setProblem({ kind: 'throttled', until: Date.now() + seconds * 1000 });
      } else {
        setProblem({ kind: 'other', error: err });
      }
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: 'username' | 'password') =>
    problem?.kind === 'required' && problem.field === field;

  return (
    <div class="login-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card" id="main">
        <Brand size="large" />
        <h1 class="login-card__title">{t('login.title')}</h1>
        <p class="login-card__intro">{t('login.intro')}</p>

        {notice === 'expired' && !problem && (
          <div class="notice notice--info" role="status">
            {t('login.session_expired')}
          </div>
        )}
        {notice === 'signed_out' && !problem && (
          <div class="notice notice--info" role="status">
            {t('login.signed_out')}
          </div>
        )}
        {problem?.kind === 'invalid' && (
          <div class="notice notice--error" role="alert" data-testid="login-error">
            {t('login.invalid')}
          </div>
        )}
        {problem?.kind === 'throttled' && (
          <div
            class={`notice ${secondsLeft > 0 ? 'notice--warning' : 'notice--info'}`}
            role="alert"
            data-testid="login-error"
          >
            {secondsLeft > 0
              ? t('login.throttled', { delay: duration(secondsLeft) })
              : t('login.throttled_over')}
          </div>
        )}
        {problem?.kind === 'other' && <ErrorNotice error={problem.error} />}

        <form class="form" onSubmit={submit} noValidate>
          <div class="field">
            <label class="field__label" for="login-username">
              {t('login.username')}
            </label>
            <input
              ref={usernameRef}
              id="login-username"
              name="username"
              class="input"
              type="text"
              dir="ltr"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
              value={username}
              aria-invalid={fieldError('username')}
              aria-describedby={fieldError('username') ? 'login-username-error' : undefined}
              data-testid="login-username"
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
            {fieldError('username') && (
              <p class="field__error" id="login-username-error">
                {t('login.required_username')}
              </p>
            )}
          </div>
          <div class="field">
            <label class="field__label" for="login-password">
              {t('login.password')}
            </label>
            <input
              ref={passwordRef}
              id="login-password"
              name="password"
              class="input"
              type="password"
              dir="ltr"
              autoComplete="current-password"
              required
              value={password}
              aria-invalid={fieldError('password')}
              aria-describedby={fieldError('password') ? 'login-password-error' : undefined}
              data-testid="login-password"
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            {fieldError('password') && (
              <p class="field__error" id="login-password-error">
                {t('login.required_password')}
              </p>
            )}
          </div>
          <button
            type="submit"
            class="btn btn--primary btn--block"
            disabled={busy || secondsLeft > 0}
            data-testid="login-submit"
          >
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <p class="login-card__notice">{t('login.notice')}</p>
        <p class="login-card__link">
          <a href="#/simulator" data-testid="login-simulator-link">
            {t('sim.link')}
          </a>
        </p>
        <p class="login-card__link">
          <a href="#/report" data-testid="login-report-link">
            {t('es.link')}
          </a>
        </p>
        <p class="login-card__link">
          <a href="#/grievance" data-testid="login-grievance-link">
            {t('gr.link_login')}
          </a>
        </p>
        <p class="login-card__link">
          <a href="#/microcredit/apply" data-testid="login-microcredit-link">
            {t('mca.link')}
          </a>
        </p>
      </main>
    </div>
  );
}

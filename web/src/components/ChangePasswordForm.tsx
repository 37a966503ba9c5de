import { useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { ErrorNotice, FieldError } from './ErrorNotice';

/** The signed-in user's password change: current and new password (typed twice). */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ key: MessageKey } | { error: unknown } | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (next !== again) {
      setProblem({ key: 'password.mismatch' });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
      onChanged();
    } catch (err) {
      // The server's reason (password.too_short, password.wrong_current, login.throttled...) is
      // rendered from the shared catalogues in the page's language.
      setProblem({ error: err });
    } finally {
      setBusy(false);
    }
  };

  const error = problem && 'error' in problem ? problem.error : null;
  const field = (id: string, name: string, label: MessageKey, value: string, set: (v: string) => void, auto: string) => (
    <div class="field">
      <label class="field__label" for={id}>
        {t(label)}
      </label>
      <input
        id={id}
        class="input"
        type="password"
        dir="auto"
        autoComplete={auto}
        required
        value={value}
        data-testid={id}
        onInput={(e) => set(e.currentTarget.value)}
      />
      <FieldError error={error} field={name} />
    </div>
  );

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="password-form">
      {problem && 'key' in problem && (
        <div class="notice notice--error" role="alert" data-testid="password-error">
          {t(problem.key)}
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}
      {done && (
        <div class="notice notice--info" role="status" data-testid="password-done">
          {t('password.changed')}
        </div>
      )}
      {field('password-current', 'current_password', 'password.current', current, setCurrent, 'current-password')}
      {field('password-new', 'new_password', 'password.new', next, setNext, 'new-password')}
      {field('password-again', 'new_password_again', 'password.again', again, setAgain, 'new-password')}
      <p class="login-card__intro">{t('password.rules')}</p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy} data-testid="password-submit">
        {t('password.submit')}
      </button>
    </form>
  );
}

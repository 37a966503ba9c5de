import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { ListPage, User } from '../api';
import { AreaLabel, AreaPicker } from '../components/AreaPicker';
import { ErrorNotice, FieldError, Loading } from '../components/ErrorNotice';
import { PAGE_SIZES, Pager } from '../components/Pager';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { ROLES } from '../nav';
import { href, navigate } from '../router';
import type { Route } from '../router';

const DEFAULT_PAGE_SIZE = 25;

/** Role checkboxes; the value is the list of role names. */
function RolePicker({ idPrefix, value, onChange, error }: { idPrefix: string; value: string[]; onChange: (v: string[]) => void; error: unknown }) {
  const { t } = useI18n();
  return (
    <fieldset class="field roles-picker" data-testid={`${idPrefix}-roles`}>
      <legend class="field__label">{t('accounts.roles')}</legend>
      <div class="roles-picker__list">
        {ROLES.map((r) => (
          <label key={r} class="checkbox">
            <input
              type="checkbox"
              checked={value.includes(r)}
              data-testid={`${idPrefix}-role-${r}`}
              onChange={(e) => onChange(e.currentTarget.checked ? [...value, r] : value.filter((x) => x !== r))}
            />
            {t(`role.${r}` as MessageKey)}
          </label>
        ))}
      </div>
      <FieldError error={error} field="roles" />
    </fieldset>
  );
}

function CreateAccount({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [area, setArea] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.createUser({ username, password, roles, ...(area ? { area_code: area } : {}) });
      setUsername('');
      setPassword('');
      setRoles([]);
      setArea('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="account-create">
      <h2 class="section__title">{t('accounts.create')}</h2>
      {error !== null && <ErrorNotice error={error} />}
      <div class="form__row">
        <div class="field">
          <label class="field__label" for="account-username">
            {t('login.username')}
          </label>
          <input id="account-username" class="input" dir="ltr" autoComplete="off" value={username} data-testid="account-username" onInput={(e) => setUsername(e.currentTarget.value)} />
          <FieldError error={error} field="username" />
        </div>
        <div class="field">
          <label class="field__label" for="account-password">
            {t('accounts.temporary_password')}
          </label>
          <input id="account-password" class="input" type="password" dir="auto" autoComplete="new-password" value={password} data-testid="account-password" onInput={(e) => setPassword(e.currentTarget.value)} />
          <FieldError error={error} field="password" />
        </div>
      </div>
      <RolePicker idPrefix="account" value={roles} onChange={setRoles} error={error} />
      <AreaPicker idPrefix="account-area" value={area} scope={null} label={t('accounts.scope')} onChange={setArea} />
      <FieldError error={error} field="area_code" />
      <p class="toolbar__hint">{t('accounts.scope_hint')}</p>
      <button type="submit" class="btn btn--primary" disabled={busy} data-testid="account-submit">
        {t('accounts.create_submit')}
      </button>
    </form>
  );
}

function AccountRow({ u, onChanged }: { u: User; onChanged: () => void }) {
  const { t, dateTime } = useI18n();
  const [mode, setMode] = useState<'view' | 'edit' | 'reset'>('view');
  const [roles, setRoles] = useState<string[]>(u.roles);
  const [area, setArea] = useState(u.area_code ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const run = async (action: () => Promise<unknown>, message: MessageKey) => {
    setError(null);
    setDone(null);
    try {
      await action();
      setMode('view');
      setPassword('');
      setDone(message);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <tr data-testid="account-row" data-username={u.username} class={u.active === false ? 'row--inactive' : undefined}>
      <td>
        <bdi dir="ltr">{u.username}</bdi>
        {u.active === false && <span class="badge badge--muted"> {t('accounts.disabled')}</span>}
      </td>
      <td>{u.roles.map((r) => t(`role.${r}` as MessageKey)).join(t('common.list_separator'))}</td>
      <td>{u.area_code ? <AreaLabel code={u.area_code} /> : t('user.scope_national')}</td>
      <td>{u.created_at ? dateTime(u.created_at) : t('common.none')}</td>
      <td class="account-actions">
        {error !== null && <ErrorNotice error={error} />}
        {done && (
          <p class="notice notice--info" role="status" data-testid="account-done">
            {t(done)}
          </p>
        )}
        {mode === 'view' && (
          <div class="btn-row">
            <button type="button" class="btn btn--secondary btn--small" data-testid="account-edit" onClick={() => setMode('edit')}>
              {t('accounts.edit')}
            </button>
            <button type="button" class="btn btn--secondary btn--small" data-testid="account-reset" onClick={() => setMode('reset')}>
              {t('accounts.reset_password')}
            </button>
            <button
              type="button"
              class="btn btn--ghost btn--small"
              data-testid="account-toggle"
              onClick={() => run(() => api.updateUser(u.id, { active: u.active === false }), u.active === false ? 'accounts.enabled_done' : 'accounts.disabled_done')}
            >
              {u.active === false ? t('accounts.enable') : t('accounts.disable')}
            </button>
          </div>
        )}
        {mode === 'edit' && (
          <form
            class="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.updateUser(u.id, { roles, area_code: area || null }), 'accounts.saved');
            }}
          >
            <RolePicker idPrefix={`edit-${u.id}`} value={roles} onChange={setRoles} error={error} />
            <AreaPicker idPrefix={`edit-${u.id}-area`} value={area} scope={null} label={t('accounts.scope')} onChange={setArea} />
            <FieldError error={error} field="area_code" />
            <div class="btn-row">
              <button type="submit" class="btn btn--primary btn--small" data-testid="account-save">
                {t('accounts.save')}
              </button>
              <button type="button" class="btn btn--ghost btn--small" onClick={() => setMode('view')}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        )}
        {mode === 'reset' && (
          <form
            class="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.resetPassword(u.id, password), 'accounts.reset_done');
            }}
          >
            <label class="field__label" for={`reset-${u.id}`}>
              {t('accounts.temporary_password')}
            </label>
            <input id={`reset-${u.id}`} class="input" type="password" dir="auto" autoComplete="new-password" value={password} data-testid="account-reset-password" onInput={(e) => setPassword(e.currentTarget.value)} />
            <FieldError error={error} field="password" />
            <p class="toolbar__hint">{t('accounts.reset_hint')}</p>
            <div class="btn-row">
              <button type="submit" class="btn btn--primary btn--small" data-testid="account-reset-submit">
                {t('accounts.reset_password')}
              </button>
              <button type="button" class="btn btn--ghost btn--small" onClick={() => setMode('view')}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        )}
      </td>
    </tr>
  );
}

/** #/admin/users: administrators create accounts, set roles and scope, disable and reset passwords. */
export function AccountsPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  const wanted = Number(route.params.get('size'));
  const size = (PAGE_SIZES as readonly number[]).includes(wanted) ? wanted : DEFAULT_PAGE_SIZE;
  const [list, setList] = useState<ListPage<User> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    api
      .users(size, (page - 1) * size, ctrl.signal)
      .then(setList)
      .catch((e) => !ctrl.signal.aborted && setError(e));
    return () => ctrl.abort();
  }, [page, size, attempt]);
  const reload = () => setAttempt((n) => n + 1);
  const pages = list ? Math.max(1, Math.ceil(list.total / size)) : 1;
  const sizeParam = size !== DEFAULT_PAGE_SIZE ? String(size) : undefined;
  return (
    <div class="page" data-testid="accounts-page">
      <header class="page__header">
        <h1 class="page__title">{t('accounts.title')}</h1>
        <p class="page__intro">{t('accounts.intro')}</p>
      </header>
      <CreateAccount onCreated={reload} />
      <section class="card" aria-labelledby="accounts-list">
        <h2 class="section__title" id="accounts-list">
          {t('accounts.list')}
        </h2>
        {error !== null && <ErrorNotice error={error} onRetry={reload} />}
        {!list && error === null && <Loading />}
        {list && (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('login.username')}</th>
                  <th scope="col">{t('accounts.roles')}</th>
                  <th scope="col">{t('accounts.scope')}</th>
                  <th scope="col">{t('accounts.created')}</th>
                  <th scope="col">{t('accounts.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((u) => (
                  <AccountRow key={String(u.id)} u={u} onChanged={reload} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={page}
          pages={pages}
          hrefFor={(p) => href('/admin/users', { page: String(p), size: sizeParam })}
          pageSize={size}
          onPageSize={(n) => navigate('/admin/users', { size: n !== DEFAULT_PAGE_SIZE ? String(n) : undefined })}
        />
      </section>
    </div>
  );
}

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, USER_SORTS } from '../api';
import type { User } from '../api';
import { AreaLabel, AreaPicker } from '../components/AreaPicker';
import { ErrorNotice, FieldError } from '../components/ErrorNotice';
import { ListStatus } from '../components/ListStatus';
import { ListPager } from '../components/Pager';
import { SortHeader } from '../components/SortHeader';
import { listParams, listQuery, readListState, useLoaded } from '../components/listState';
import type { ListState } from '../components/listState';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { ROLES } from '../nav';
import { navigate } from '../router';
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

/** A form inside an account's row: its fields, then the action and a way back. */
function RowForm({ onSubmit, submit, submitTestid, onCancel, children }: { onSubmit: () => void; submit: string; submitTestid: string; onCancel: () => void; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <div class="btn-row">
        <button type="submit" class="btn btn--primary btn--small" data-testid={submitTestid}>
          {submit}
        </button>
        <button type="button" class="btn btn--ghost btn--small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
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
      </td>
      <td>{u.roles.map((r) => t(`role.${r}` as MessageKey)).join(t('common.list_separator'))}</td>
      <td>{u.area_code ? <AreaLabel code={u.area_code} /> : t('user.scope_national')}</td>
      <td data-testid="account-status">
        {u.active === false ? <span class="badge badge--muted">{t('accounts.disabled')}</span> : t('accounts.active')}
      </td>
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
          <RowForm
            onSubmit={() => void run(() => api.updateUser(u.id, { roles, area_code: area || null }), 'accounts.saved')}
            submit={t('accounts.save')}
            submitTestid="account-save"
            onCancel={() => setMode('view')}
          >
            <RolePicker idPrefix={`edit-${u.id}`} value={roles} onChange={setRoles} error={error} />
            <AreaPicker idPrefix={`edit-${u.id}-area`} value={area} scope={null} label={t('accounts.scope')} onChange={setArea} />
            <FieldError error={error} field="area_code" />
          </RowForm>
        )}
        {mode === 'reset' && (
          <RowForm
            onSubmit={() => void run(() => api.resetPassword(u.id, password), 'accounts.reset_done')}
            submit={t('accounts.reset_password')}
            submitTestid="account-reset-submit"
            onCancel={() => setMode('view')}
          >
            <label class="field__label" for={`reset-${u.id}`}>
              {t('accounts.temporary_password')}
            </label>
            <input id={`reset-${u.id}`} class="input" type="password" dir="auto" autoComplete="new-password" value={password} data-testid="account-reset-password" onInput={(e) => setPassword(e.currentTarget.value)} />
            <FieldError error={error} field="password" />
            <p class="toolbar__hint">{t('accounts.reset_hint')}</p>
          </RowForm>
        )}
      </td>
    </tr>
  );
}

function go(s: ListState): void {
  navigate('/admin/users', listParams(s, DEFAULT_PAGE_SIZE));
}

/** #/admin/users?sort=-created_at&page=2&size=50: administrators create accounts, set roles and scope,
 *  disable and reset passwords. */
export function AccountsPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const state = readListState(route.params, USER_SORTS, DEFAULT_PAGE_SIZE);
  // The list stays on screen while it is read again after a change.
  const { data: list, error, reload } = useLoaded((signal) => api.users(listQuery(state), signal), JSON.stringify(state), false);
  const th = (column: (typeof USER_SORTS)[number], label: string) => (
    <SortHeader column={column} label={label} sort={state.sort} onSort={(sort) => go({ ...state, sort, page: 1 })} />
  );
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
        <ListStatus list={list} error={error} onRetry={reload} />
        {list && (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  {th('username', t('login.username'))}
                  <th scope="col">{t('accounts.roles')}</th>
                  {th('area', t('accounts.scope'))}
                  {th('active', t('accounts.status'))}
                  {th('created_at', t('accounts.created'))}
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
        {list && <ListPager state={state} total={list.total} go={go} />}
      </section>
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Area, User } from '../api';
import { areaName } from '../areas';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { isRole } from '../nav';
import { href } from '../router';
import { useDropdown } from './useDropdown';

/** Resolves the user's area scope to a name (once per code). */
function useScopeArea(code: string | null): Area | null {
  const [area, setArea] = useState<Area | null>(null);
  useEffect(() => {
    setArea(null);
    if (!code) return undefined;
    const ctrl = new AbortController();
    api
      .area(code, undefined, ctrl.signal)
      .then((d) => setArea(d.area))
      .catch(() => {
        /* The code alone is still shown. */
      });
    return () => ctrl.abort();
  }, [code]);
  return area;
}

export function UserMenu({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t, lang } = useI18n();
  const { open, setOpen, rootRef, buttonProps } = useDropdown('user-menu-panel');
  const scope = useScopeArea(user.area_code);

  const roleLabel = (role: string) => (isRole(role) ? t(`role.${role}` as MessageKey) : role);
  const initial = user.username.slice(0, 1).toUpperCase();

  return (
    <div class="user-menu" ref={rootRef}>
      <button
        {...buttonProps}
        class="user-menu__button"
        aria-label={t('user.menu')}
        data-testid="user-menu-button"
        onClick={() => setOpen(!open)}
      >
        <span class="avatar" aria-hidden="true">
          {initial}
        </span>
        <bdi class="user-menu__name" dir="ltr">
          {user.username}
        </bdi>
        <svg class="user-menu__caret" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
          <path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
        </svg>
      </button>
      {open && (
        <div class="user-menu__panel" id="user-menu-panel" data-testid="user-menu-panel">
          <div class="user-menu__section">
            <div class="user-menu__label">{t('user.signed_in_as')}</div>
            <bdi class="user-menu__username" dir="ltr">
              {user.username}
            </bdi>
          </div>
          <div class="user-menu__section">
            <div class="user-menu__label">{t('user.roles')}</div>
            <ul class="chips">
              {user.roles.map((r) => (
                <li key={r} class="chip" data-role={r}>
                  {roleLabel(r)}
                </li>
              ))}
            </ul>
          </div>
          <div class="user-menu__section">
            <div class="user-menu__label">{t('user.scope')}</div>
            <div data-testid="user-scope">
              {user.area_code ? (
                <>
                  {scope && <span>{areaName(scope, lang)} </span>}
                  <bdi class="code" dir="ltr">
                    {user.area_code}
                  </bdi>
                </>
              ) : (
                t('user.scope_national')
              )}
            </div>
          </div>
          <div class="user-menu__footer">
            <a class="btn btn--secondary btn--block" href={href('/password')} data-testid="change-password" onClick={() => setOpen(false)}>
              {t('user.change_password')}
            </a>
            <button type="button" class="btn btn--secondary btn--block" data-testid="logout" onClick={onLogout}>
              {t('user.logout')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

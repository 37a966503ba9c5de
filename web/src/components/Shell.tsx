import type { ComponentChildren } from 'preact';
import type { User } from '../api';
import { useI18n } from '../i18n';
import { navItemFor, visibleNav } from '../nav';
import { href } from '../router';
import { Brand } from './Brand';
import { LangSwitch } from './LangSwitch';
import { Notifications } from './Notifications';
import { UserMenu } from './UserMenu';

interface Props {
  user: User;
  currentPath: string;
  onLogout: () => void;
  children: ComponentChildren;
}

/** Header (name, navigation, language, user menu), the page, and a footer. */
export function Shell({ user, currentPath, onLogout, children }: Props) {
  const { t } = useI18n();
  const items = visibleNav(user.roles);
  const owner = navItemFor(currentPath);
  const skip = (e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#" onClick={skip}>
        {t('app.skip_to_content')}
      </a>
      <header class="topbar">
        <div class="topbar__inner">
          <a class="topbar__brand" href={href('/')}>
            <Brand />
          </a>
          <nav class="mainnav" aria-label={t('nav.main')}>
            <ul class="mainnav__list">
              {items.map((item) => {
                const active =
                  item.path === '/'
                    ? currentPath === '/'
                    : currentPath.startsWith(item.path) || owner?.navParent === item.id;
                return (
                  <li key={item.id}>
                    <a
                      class="mainnav__link"
                      href={href(item.path)}
                      aria-current={active ? 'page' : undefined}
                      data-testid={`nav-${item.id}`}
                    >
                      {t(item.label)}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div class="topbar__tools">
            <Notifications />
            <LangSwitch variant="dark" />
            <UserMenu user={user} onLogout={onLogout} />
          </div>
        </div>
      </header>
      <main class="main" id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <span>
          <span lang="ar">سند</span> · <span lang="fr">Sanad</span> — {t('app.tagline')}
        </span>
      </footer>
    </div>
  );
}

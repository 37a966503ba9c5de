import { useEffect, useState } from 'preact/hooks';
import { api, registry } from '../api';
import { linkage } from '../linkage';
import type { AreaLevel, Country, User } from '../api';
import { levelsKey, levelsOf } from '../areas';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { canSee, NAV_ITEMS, visibleNav } from '../nav';
import { href } from '../router';

interface Stat {
  country: Country;
  level: AreaLevel;
  /** undefined while loading, null when the figure could not be fetched. */
  total: number | null | undefined;
}

/** Counts of areas per country and level (one small list request each, limit=1). */
function useAreaStats(): Stat[] {
  const initial: Stat[] = (['MA', 'DZ'] as const).flatMap((country) =>
    levelsOf(country).map((level) => ({ country, level, total: undefined })),
  );
  const [stats, setStats] = useState<Stat[]>(initial);
  useEffect(() => {
    const ctrl = new AbortController();
    initial.forEach((s, i) => {
      api
        .areas({ country: s.country, level: s.level, limit: 1 }, ctrl.signal)
        .then((page) =>
          setStats((prev) => prev.map((p, j) => (j === i ? { ...p, total: page.total } : p))),
        )
        .catch(() => {
          if (!ctrl.signal.aborted) setStats((prev) => prev.map((p, j) => (j === i ? { ...p, total: null } : p)));
        });
    });
    return () => ctrl.abort();
  }, []);
  return stats;
}

interface Count {
  id: string;
  label: MessageKey;
  link: string;
  /** undefined while loading, null when it could not be fetched. */
  total: number | null | undefined;
  exact: boolean;
  load: (signal: AbortSignal) => Promise<{ total: number; total_exact?: boolean }>;
}

const REVIEWERS = ['admin', 'regional_coordinator'];

/** The figures of the user's own work, within their scope (the server applies it): what waits for
 *  review, and what the registry holds. Each from the list route's total (limit=1). */
function useWorkCounts(user: User): Count[] {
  const can = (id: string) => {
    const item = NAV_ITEMS.find((i) => i.id === id);
    return item ? canSee(item, user.roles) : false;
  };
  const initial: Count[] = [];
  if (can('change_requests') && user.roles.some((r) => REVIEWERS.includes(r))) {
    initial.push({ id: 'pending', label: 'home.pending_requests', link: href('/change-requests', { status: 'pending' }), total: undefined, exact: true, load: (signal) => registry.changeRequests({ status: 'pending', limit: 1 }, signal) });
  }
  if (can('duplicates')) {
    initial.push({ id: 'duplicates', label: 'home.duplicates', link: href('/duplicates'), total: undefined, exact: true, load: (signal) => linkage.candidates({ status: 'pending', limit: 1, offset: 0 }, signal) });
  }
  if (can('registry')) {
    initial.push({ id: 'households', label: 'home.households', link: href('/registry'), total: undefined, exact: true, load: (signal) => registry.households(1, signal) });
    initial.push({ id: 'persons', label: 'home.persons', link: href('/registry'), total: undefined, exact: true, load: (signal) => registry.persons({ limit: 1 }, signal) });
  }
  const [counts, setCounts] = useState<Count[]>(initial);
  useEffect(() => {
    const ctrl = new AbortController();
    initial.forEach((c, i) => {
      c.load(ctrl.signal)
        .then((page) => setCounts((prev) => prev.map((p, j) => (j === i ? { ...p, total: page.total, exact: page.total_exact !== false } : p))))
        .catch(() => {
          if (!ctrl.signal.aborted) setCounts((prev) => prev.map((p, j) => (j === i ? { ...p, total: null } : p)));
        });
    });
    return () => ctrl.abort();
  }, [user.username]);
  return counts;
}

function WorkCounts({ user }: { user: User }) {
  const { t, num } = useI18n();
  const counts = useWorkCounts(user);
  if (counts.length === 0) return null;
  return (
    <section class="section" aria-labelledby="home-work">
      <h2 class="section__title" id="home-work">
        {t('home.work')}
      </h2>
      <p class="page__intro">{user.area_code ? t('home.in_scope') : t('home.national')}</p>
      <div class="stats__row">
        {counts.map((c) => (
          <a key={c.id} class="stat" href={c.link} data-testid={`work-${c.id}`}>
            <span class="stat__value">
              {c.total === undefined ? <span class="skeleton" aria-label={t('common.loading')} /> : c.total === null ? t('common.none') : c.exact ? num(c.total) : t('common.more_than', { n: num(c.total) })}
            </span>
            <span class="stat__label">{t(c.label)}</span>
          </a>
        ))}
      </div>
    </section>
  );
}

export function HomePage({ user }: { user: User }) {
  const { t, num } = useI18n();
  const stats = useAreaStats();
  const modules = visibleNav(user.roles).filter((item) => item.id !== 'home');
  return (
    <div class="page">
      <header class="page__header">
        <h1 class="page__title">
          {t('home.welcome', { name: '' })}
          <bdi dir="ltr">{user.username}</bdi>
        </h1>
        <p class="page__intro">{t('home.intro')}</p>
      </header>

      <WorkCounts user={user} />

      <section class="section" aria-labelledby="home-modules">
        <h2 class="section__title" id="home-modules">
          {t('home.modules')}
        </h2>
        <div class="cards">
          {modules.map((item) => (
            <a key={item.id} class="card card--link" href={href(item.path)}>
              <span class="card__title">{t(item.label)}</span>
              {item.id === 'areas' && <span class="card__text">{t('home.areas_desc')}</span>}
              <span class="card__action">{t('home.open')}</span>
            </a>
          ))}
        </div>
      </section>

      <section class="section" aria-labelledby="home-overview">
        <h2 class="section__title" id="home-overview">
          {t('home.overview')}
        </h2>
        {(['MA', 'DZ'] as const).map((country) => (
          <div key={country} class="stats">
            <h3 class="stats__country">{t(`country.${country}`)}</h3>
            <div class="stats__row">
              {stats
                .filter((s) => s.country === country)
                .map((s) => (
                  <a
                    key={s.level}
                    class="stat"
                    href={href('/areas', { country, level: s.level })}
                    data-testid={`stat-${country}-${s.level}`}
                  >
                    <span class="stat__value">
                      {s.total === undefined ? (
                        <span class="skeleton" aria-label={t('common.loading')} />
                      ) : s.total === null ? (
                        t('common.none')
                      ) : (
                        num(s.total)
                      )}
                    </span>
                    <span class="stat__label">{t(levelsKey(country, s.level))}</span>
                  </a>
                ))}
            </div>
          </div>
        ))}
      </section>
    </div>
  );
}

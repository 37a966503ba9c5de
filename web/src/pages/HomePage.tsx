import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { AreaLevel, Country, User } from '../api';
import { levelsKey, levelsOf } from '../areas';
import { useI18n } from '../i18n';
import { visibleNav } from '../nav';
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

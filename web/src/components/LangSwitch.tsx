import { LANGS, useI18n } from '../i18n';

/** العربية / Français / English — each written in its own language and script. */
export function LangSwitch({ variant = 'light' }: { variant?: 'light' | 'dark' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <div class={`lang-switch lang-switch--${variant}`} role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l.code}
          type="button"
          class="lang-switch__btn"
          lang={l.code}
          dir={l.dir}
          aria-pressed={lang === l.code}
          data-testid={`lang-${l.code}`}
          onClick={() => setLang(l.code)}
        >
          {l.endonym}
        </button>
      ))}
    </div>
  );
}

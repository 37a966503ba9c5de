import { useI18n } from '../i18n';

/** The mark and the bilingual name سند · Sanad (both scripts, whatever the language). */
export function Brand({ size = 'normal' }: { size?: 'normal' | 'large' }) {
  const { t } = useI18n();
  return (
    <div class={`brand brand--${size}`}>
      <svg class="brand__mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect width="64" height="64" rx="14" fill="currentColor" />
        <path d="M14 40c6 8 30 8 36 0" stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round" />
        <circle cx="32" cy="24" r="8" fill="#e3b448" />
      </svg>
      <span class="brand__names">
        <span class="brand__name">
          <span lang="ar" dir="rtl">سند</span>
          <span class="brand__sep" aria-hidden="true">·</span>
          <span lang="fr" dir="ltr">Sanad</span>
        </span>
        <span class="brand__tagline">{t('app.tagline')}</span>
      </span>
    </div>
  );
}

import { useI18n } from '../i18n';
import { href } from '../router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div class="page page--narrow">
      <h1 class="page__title">{t('notfound.title')}</h1>
      <p>
        <a href={href('/')}>{t('notfound.home')}</a>
      </p>
    </div>
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <div class="page page--narrow">
      <h1 class="page__title">{t('forbidden.title')}</h1>
      <p>{t('error.forbidden')}</p>
      <p>
        <a href={href('/')}>{t('notfound.home')}</a>
      </p>
    </div>
  );
}

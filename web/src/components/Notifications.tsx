import { useCallback, useEffect, useState } from 'preact/hooks';
import { notifications } from '../api';
import type { Notification } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import '../styles/authors.css';
import { useDropdown } from './useDropdown';

/** How often the unread count is refreshed while the page is open. */
const POLL_MS = 60_000;

/**
 * The bell in the header: the number of unread notices (decisions on the user's change requests), and
 * the list of the latest ones. Texts are rendered by the server in the current language, so the list is
 * fetched again when the language changes.
 */
export function Notifications() {
  const { t, lang, num, dateTime } = useI18n();
  const { open, setOpen, rootRef, buttonProps } = useDropdown('notifications-panel');
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<Notification[] | null>(null);

  const refresh = useCallback((signal?: AbortSignal) => {
    notifications
      .list({ limit: 20 }, signal)
      .then((page) => {
        setUnread(page.unread);
        setItems(page.items);
      })
      .catch(() => {
        /* The bell keeps its last count; the next poll tries again. */
      });
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    refresh(ctrl.signal);
    const timer = window.setInterval(() => refresh(), POLL_MS);
    const onFocus = () => refresh();
    window.addEventListener('focus', onFocus);
    window.addEventListener('hashchange', onFocus);
    return () => {
      ctrl.abort();
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('hashchange', onFocus);
    };
  }, [refresh, lang]);

  const openItem = async (n: Notification) => {
    setOpen(false);
    if (!n.read_at) {
      try {
        const read = await notifications.markRead(n.id);
        setItems((list) => list?.map((x) => (x.id === n.id ? read : x)) ?? null);
        setUnread((u) => Math.max(0, u - 1));
      } catch {
        /* Still opened; it stays unread. */
      }
    }
    if (n.change_request_id !== null) navigate('/change-requests', { id: String(n.change_request_id) });
  };
  const markAll = async () => {
    try {
      await notifications.markAllRead();
      refresh();
    } catch {
      /* Left as they were. */
    }
  };

  return (
    <div class="notifications" ref={rootRef}>
      <button
        {...buttonProps}
        class="notifications__button"
        aria-label={t('notif.button', { n: num(unread) })}
        data-testid="notifications-button"
        onClick={() => {
          if (!open) refresh();
          setOpen(!open);
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linejoin="round"
          />
        </svg>
        {unread > 0 && (
          <span class="notifications__count" data-testid="notifications-unread">
            {num(unread)}
          </span>
        )}
      </button>
      {open && (
        <div class="notifications__panel" id="notifications-panel" data-testid="notifications-panel">
          <div class="notifications__head">
            <h2 class="notifications__title">{t('notif.title')}</h2>
            {unread > 0 && (
              <button type="button" class="btn btn--secondary btn--small" data-testid="notifications-mark-all" onClick={() => void markAll()}>
                {t('notif.mark_all')}
              </button>
            )}
          </div>
          {items && items.length === 0 && <p class="muted">{t('notif.empty')}</p>}
          {items && items.length > 0 && (
            <ul class="notifications__list">
              {items.map((n) => (
                <li
                  key={n.id}
                  class={`notifications__item${n.read_at ? '' : ' notifications__item--unread'}`}
                  data-testid="notification"
                  data-code={n.code}
                  data-read={n.read_at ? 'true' : 'false'}
                  onClick={() => void openItem(n)}
                >
                  <a
                    href="#"
                    onClick={(e) => {
                      e.preventDefault();
                      e.stopPropagation();
                      void openItem(n);
                    }}
                  >
                    {!n.read_at && <span class="visually-hidden">{t('notif.unread')}: </span>}
                    {n.message}
                  </a>
                  {n.params['comment'] && (
                    <blockquote class="notifications__comment" dir="auto" data-testid="notification-comment">
                      {n.params['comment']}
                    </blockquote>
                  )}
                  <span class="notifications__time">{dateTime(n.created_at)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

// Notices for the signed-in user (decisions on their change requests), rendered by the server in the
// language of the request (Accept-Language).
import { request } from './client';
import type { ListPage } from './client';

export interface Notification {
  id: number;
  code: string;
  params: Record<string, string>;
  message: string;
  change_request_id: number | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage extends ListPage<Notification> {
  unread: number;
}

export const notifications = {
  list(query: { unread?: 'true' | 'false'; limit?: number; offset?: number }, signal?: AbortSignal): Promise<NotificationPage> {
    return request<NotificationPage>('GET', '/me/notifications', { query, ...(signal ? { signal } : {}) });
  },
  markRead(id: number): Promise<Notification> {
    return request<Notification>('POST', `/me/notifications/${id}/read`);
  },
  markAllRead(): Promise<{ marked: number; unread: number }> {
    return request<{ marked: number; unread: number }>('POST', '/me/notifications/read-all');
  },
};

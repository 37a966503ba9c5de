// Family counselling (docs/counselling.md): counsellors, free slots, bookings, sessions and notes.
import { request } from './client';

export interface Counsellor {
  id: number;
  user_id: number;
  username: string;
  given_name: string;
  family_name: string;
  specialties: string[];
  languages: string[];
  pool: 'family' | 'white_army';
  area_code: string;
  active: boolean;
  availability: { weekday: number; starts: string; ends: string; slot_minutes: number }[];
  leave_days: string[];
}

export interface SlotTime {
  start: string;
  end: string;
}

export interface Booking {
  id: number;
  counsellor_id: number;
  slot_start: string;
  slot_end: string;
  request_id: number | null;
  client_name: string | null;
  client_phone: string | null;
  client_email: string | null;
  client_language: string;
  channel: 'phone' | 'video' | 'in_person';
  status: 'booked' | 'cancelled' | 'attended' | 'no_show';
  rescheduled_from: number | null;
}

export interface BookingDetail extends Booking {
  client_no_shows: number;
  may_read_notes: boolean;
  notes: { id: number; written_at: string; written_by: string; text: string | null; readable: boolean }[];
}

export interface CounsellingRequest {
  id: number;
  status: string;
  commune_code: string;
  topic: string | null;
  channel: string | null;
  preferred_times: string | null;
  white_army: boolean;
  contact_name: string | null;
  contact_phone: string | null;
  created_at: string;
  no_shows: number;
  booking_id: number | null;
  booking_slot: string | null;
}

export interface NewBooking {
  counsellor_id: number;
  slot_start: string;
  request_id?: number;
  client_name?: string;
  client_phone?: string;
  language?: string;
  channel?: string;
}

export const counsellingApi = {
  counsellors: () => request<{ items: Counsellor[] }>('GET', '/counselling/counsellors'),
  slots: (counsellor: number, from: string, to: string, signal?: AbortSignal) =>
    request<{ items: { counsellor_id: number; slots: SlotTime[] }[] }>('GET', '/counselling/slots', {
      query: { counsellor, from, to },
      signal,
    }),
  bookings: (counsellor: number, from: string, to: string, signal?: AbortSignal) =>
    request<{ items: Booking[] }>('GET', '/counselling/bookings', { query: { counsellor, from, to }, signal }),
  booking: (id: number) => request<BookingDetail>('GET', `/counselling/bookings/${id}`),
  requests: (pool: string, signal?: AbortSignal) =>
    request<{ items: CounsellingRequest[] }>('GET', '/counselling/requests', { query: { pool }, signal }),
  book: (body: NewBooking) => request<Booking>('POST', '/counselling/bookings', { body }),
  cancel: (id: number) => request<Booking>('POST', `/counselling/bookings/${id}/cancel`, { body: {} }),
  session: (id: number, status: 'attended' | 'no_show') =>
    request<Booking>('POST', `/counselling/bookings/${id}/session`, { body: { status } }),
  note: (id: number, text: string) => request<unknown>('POST', `/counselling/bookings/${id}/notes`, { body: { text } }),
};

import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { westernDigits } from '../numbers';

// A calendar date typed the way people in Morocco and Algeria write it, DD/MM/YYYY (also with - or .,
// in Arabic-Indic digits, or as ISO YYYY-MM-DD); the value in and out is ISO, as the API wants it.
// The browser's own date picker follows the browser's locale, not the page's language, so it is not used.

/** The ISO date of what was typed, '' when empty, null when it is not a date. */
export function parseDayInput(text: string): string | null {
  const s = westernDigits(text.trim());
  if (!s) return '';
  let y: number, m: number, d: number;
  const dmy = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || y > 2100) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An ISO date as DD/MM/YYYY. */
export function formatDayInput(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

interface DateInputProps {
  id: string;
  /** ISO date, or '' for none. */
  value: string;
  /** Called with the ISO date once the text is a date, or '' when emptied. */
  onChange: (iso: string) => void;
  testid?: string;
  class?: string;
  describedBy?: string;
  invalid?: boolean;
}

export function DateInput({ id, value, onChange, testid, class: cls, describedBy, invalid }: DateInputProps) {
  const { t } = useI18n();
  const [text, setText] = useState(formatDayInput(value));
  const [bad, setBad] = useState(false);
  // Follow the value when it changes from outside (URL, reset), not while the text already means it.
  useEffect(() => {
    if (parseDayInput(text) !== value) {
      setText(formatDayInput(value));
      setBad(false);
    }
  }, [value]);
  const errId = `${id}-error`;
  return (
    <>
      <input
        id={id}
        class={`input input--date${cls ? ` ${cls}` : ''}`}
        type="text"
        inputMode="numeric"
        dir="ltr"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        value={text}
        aria-invalid={bad || invalid ? 'true' : undefined}
        aria-describedby={[describedBy, bad ? errId : ''].filter(Boolean).join(' ') || undefined}
        data-testid={testid}
        onInput={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          const iso = parseDayInput(next);
          if (iso !== null) {
            setBad(false);
            if (iso !== value) onChange(iso);
          }
        }}
        onBlur={() => setBad(parseDayInput(text) === null)}
      />
      {bad && (
        <p class="field__error" id={errId} role="alert" data-testid={testid ? `${testid}-error` : undefined}>
          {t('date.invalid')}
        </p>
      )}
    </>
  );
}

// Numbers as people type them in the three languages: Western digits, Arabic-Indic (٠-٩) or Eastern
// Arabic-Indic (۰-۹) ones (what an Arabic keyboard gives), and a decimal comma, point or Arabic decimal
// separator (٫). Every number input reads through parseDecimal, so that "٩٫٥", "9,5" and "9.5" are the
// same number everywhere.

const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;
const ARABIC_DECIMAL = '\u066b';
const ARABIC_THOUSANDS = /\u066c/g;

/** `text` with its Arabic-Indic digits as Western ones ("٢٠٢٦" → "2026"); the rest as it is. */
export function westernDigits(text: string): string {
  return text.replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) & 0xf));
}

/** A typed number: "٩٫٥", "9,5" and "9.5" → 9.5, "١٬٢٣٤٫٥" → 1234.5; NaN when the text (trimmed) is
 *  empty or not a number. */
export function parseDecimal(text: string): number {
  const s = westernDigits(text.trim()).replace(ARABIC_THOUSANDS, '').replace(ARABIC_DECIMAL, '.').replace(',', '.');
  return s === '' ? Number.NaN : Number(s);
}

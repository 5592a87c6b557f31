// Numbers as Base44's UI writes them: "1,234", "1 234", "1.234,5" (German), "12.5", "1.2k", "3M". A rounded
// figure ("1.2k") is not exact: the reading it makes is an estimate and cannot anchor the balance.
export interface ReadNumber {
  value: number;
  exact: boolean;
}

const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6 };

/** `decimal`: the UI language's decimal mark ("." for English, "," for German, French, Spanish…). */
export function parseCredits(text: string, decimal: '.' | ',' = '.'): ReadNumber | undefined {
  const m = /^\s*([0-9][0-9\s.,'\u00a0\u202f]*)\s*([kKmM])?\s*$/.exec(text);
  if (!m) return undefined;
  let digits = m[1].replace(/[\s'\u00a0\u202f]/g, '');
  const group = decimal === '.' ? ',' : '.';
  // Group marks go; the decimal mark becomes "."; a second decimal mark means it was not a number.
  digits = digits.split(group).join('');
  if (decimal === ',') digits = digits.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(digits)) return undefined;
  const value = Number(digits) * (m[2] ? SUFFIX[m[2]] : 1);
  if (!Number.isFinite(value) || value < 0 || value > 100_000_000) return undefined;
  return { value: Math.round(value * 1000) / 1000, exact: !m[2] };
}

// How numbers of credits look in small places: the toolbar badge (at most 4 characters) and its colour.
// Remaining credits round down, never up: a badge must not promise credits that are not there.

/** 0 → "0", 412 → "412", 0.5 → "0.5", 9 950 → "9.9k", 12 400 → "12k", 1 250 000 → "1.2M". */
export function compactCredits(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0';
  if (n < 10) return String(Math.floor(n * 10) / 10);
  if (n < 1000) return String(Math.floor(n));
  if (n < 10_000) return `${Math.floor(n / 100) / 10}k`;
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  if (n < 10_000_000) return `${Math.floor(n / 100_000) / 10}M`;
  return `${Math.floor(n / 1_000_000)}M`;
}

export type Level = 'ok' | 'low' | 'critical' | 'unknown';

/** critical: empty or ≤ 5% left; low: ≤ 20% left (the product's default 80% / 95% alert thresholds). */
export function levelOf(remaining: number | undefined, limit: number | undefined): Level {
  if (remaining === undefined || !Number.isFinite(remaining)) return 'unknown';
  if (remaining <= 0) return 'critical';
  if (!limit || limit <= 0) return 'ok';
  const left = remaining / limit;
  return left <= 0.05 ? 'critical' : left <= 0.2 ? 'low' : 'ok';
}

export const LEVEL_COLOURS: Record<Level, string> = { ok: '#188038', low: '#e37400', critical: '#d93025', unknown: '#80868b' };

/** "in 3 d 4 h", "in 25 min", "now": for reset countdowns and run-out times. */
export function inWords(ms: number): string {
  if (ms <= 30_000) return 'now';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `in ${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago": the age of last known values. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

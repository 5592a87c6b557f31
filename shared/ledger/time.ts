// Time helpers for the ledger: ISO ⇄ epoch ms without reading the clock or the machine's time zone.
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Largest instant a Date can hold; beyond it toISOString throws. */
const MAX_DATE_MS = 8.64e15;

// A date-time without a zone would be read in the *machine's* zone by Date.parse, so the same input could give
// different ledgers on different servers. Reading it as UTC keeps the ledger a pure function of its input.
const NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch ms of an ISO string, or NaN when it is not a date. */
export function toMs(iso: string): number {
  // Fast path: stored times end in "Z"; the ledger parses every event on every balance.
  if (iso.endsWith('Z')) return Date.parse(iso);
  return Date.parse(NO_ZONE.test(iso) ? `${iso}Z` : iso);
}

/** ISO-8601 UTC string of an epoch ms value (undefined when it is out of a Date's range). */
export function toIso(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(Math.round(ms)).toISOString() : undefined;
}

/** Like toIso, for values the caller knows are in range (cycle bounds, event times). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

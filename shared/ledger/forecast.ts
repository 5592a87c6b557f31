// Burn rate and run-out forecast of one pool: credits per day over a trailing window, and when the pool
// empties at that rate compared with the cycle's reset.
import type { Forecast } from '../schemas/balance';
import { roundCredits } from './credits';
import { DAY_MS, HOUR_MS, toIso } from './time';

export const DEFAULT_FORECAST_WINDOW_MS = 7 * DAY_MS;
/** The shortest window the rate is averaged over: a few credits in the first minutes are not a daily rate. */
export const MIN_FORECAST_WINDOW_MS = HOUR_MS;

export interface ForecastInput {
  /** The pool's events (any order, any time; only the window counts). */
  events: { at: number; credits: number }[];
  now: number;
  /** What is left now. */
  remaining: number;
  /** When the pool resets (exclusive end of the cycle). */
  cycleEnd: number;
  windowMs?: number;
  /** When observation began: before it, no events does not mean no usage, so the window stops there. */
  observedSince?: number;
}

export function forecast(input: ForecastInput): Forecast {
  const { now, remaining, cycleEnd } = input;
  const windowMs = input.windowMs ?? DEFAULT_FORECAST_WINDOW_MS;
  const from = Math.max(now - windowMs, input.observedSince ?? -Infinity);
  let credits = 0;
  for (const e of input.events) if (e.at >= from && e.at <= now) credits += e.credits;
  const rate = credits / (Math.max(now - from, MIN_FORECAST_WINDOW_MS) / DAY_MS);
  const out: Forecast = { perDay: roundCredits(rate, 2), beforeReset: false };

  if (remaining <= 0) {
    out.runOutAt = toIso(now);
    out.beforeReset = now < cycleEnd;
  } else if (rate > 0) {
    // The unrounded rate: perDay is for display, the run-out instant should not jump with its rounding.
    const at = now + (remaining / rate) * DAY_MS;
    const runOutAt = toIso(at);
    if (runOutAt !== undefined) out.runOutAt = runOutAt;
    out.beforeReset = at < cycleEnd;
  }
  return out;
}

// The words of an alert. Alerts go to Slack, email and toasts as they are, so a title must say what happened
// and a detail what is left, when it resets, where the burn rate leads and who burned it — in the workspace's
// time zone, with "(estimate)" where the figures are not exact (PRODUCT.md: estimates are labelled).
import { DAY_MS, HOUR_MS, toMs } from '../ledger/time';
import { NONE_KEY } from '../ledger/usage';
import type { Alert, TopEntry } from '../schemas/alerts';
import type { Figures } from './targets';

/** 1,950 · 410 · 0.3: whole credits from 100 up, one decimal below (Discuss messages cost 0.3). */
export function credits(x: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(x) < 100 ? 1 : 0 }).format(x);
}

/** "Dec 1" in the zone. */
export function day(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, month: 'short', day: 'numeric' }).format(ms);
}

/** A duration as people say it: "6 days", "5 hours", "under an hour". */
export function span(ms: number): string {
  if (ms < HOUR_MS) return 'under an hour';
  if (ms < DAY_MS) {
    const h = Math.round(ms / HOUR_MS);
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const d = Math.round(ms / DAY_MS);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** "1,950 of 10,000 left; resets in 6 days (Dec 1). At 410/day they run out Nov 29, 2 days before the reset." */
export function figuresText(f: Figures, budget: boolean, now: number, timezone: string): string {
  const end = toMs(f.cycleEnd);
  const out = [`${credits(f.remaining)} of ${credits(f.limit)} left${f.exact ? '' : ' (estimate)'}; resets in ${span(end - now)} (${day(end, timezone)}).`];
  const { perDay, runOutAt, beforeReset } = f.forecast;
  if (f.remaining <= 0) out.push('Nothing left until the reset.');
  else if (runOutAt !== undefined && perDay > 0) {
    const at = toMs(runOutAt);
    out.push(
      beforeReset
        ? `At ${credits(perDay)}/day ${budget ? 'it runs' : 'they run'} out ${day(at, timezone)}, ${span(end - at)} before the reset.`
        : `At ${credits(perDay)}/day ${budget ? 'it lasts' : 'they last'} past the reset.`,
    );
  }
  return out.join(' ');
}

const who = (e: TopEntry | undefined, prefix: string, none: string): string | undefined =>
  e && `${e.key === NONE_KEY ? none : `${prefix}${e.label ?? e.key}`} (${credits(e.credits)})`;

/** "Most in the last 24 h: app Shop (320), Ann (300), Core.InvokeLLM (280)." — empty when nothing was used. */
export function topText(top: Alert['top'], where: string): string {
  const parts = [who(top.apps[0], 'app ', 'no app'), who(top.members[0], '', 'no member'), who(top.actions[0], '', '')];
  const said = parts.filter((p) => p !== undefined);
  return said.length ? `Most ${where}: ${said.join(', ')}.` : '';
}

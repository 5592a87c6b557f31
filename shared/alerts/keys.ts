// Alert keys: "ruleId|scope|condition|instance". The instance is what an alert fires once per: the cycle start
// (thresholds, forecast), the group (burst) or the calendar day (daily anomaly). Everything before the last "|"
// is the slot: evaluation finds a slot's previous entries by it, so an entry of a past cycle or day can be
// resolved even though its own key will never be built again. Parts are escaped so an id containing "|" cannot
// shift the fields.
import type { AlertCondition } from '../schemas/alerts';

const escape = (part: string): string => part.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
const unescape = (part: string): string => part.replace(/%(25|7C)/g, (_m, h: string) => (h === '25' ? '%' : '|'));

/** The slot of rule × scope × condition (see the header). */
export function slotKey(ruleId: string, scope: string, condition: string): string {
  return [ruleId, scope, condition].map(escape).join('|');
}

/** The stable key of one alert instance: rule × scope × condition (× threshold) × instance. */
export function alertKey(ruleId: string, scope: string, condition: string, instance: string): string {
  return `${slotKey(ruleId, scope, condition)}|${escape(instance)}`;
}

export const instanceKey = (slot: string, instance: string): string => `${slot}|${escape(instance)}`;

export const slotOf = (key: string): string => key.slice(0, key.lastIndexOf('|'));

export interface ParsedAlertKey {
  ruleId: string;
  scope: string;
  condition: string;
  instance: string;
}

export function parseAlertKey(key: string): ParsedAlertKey | undefined {
  const parts = key.split('|');
  if (parts.length !== 4) return undefined;
  const [ruleId, scope, condition, instance] = parts.map(unescape);
  return { ruleId, scope, condition, instance };
}

/**
 * The condition part of a key. Thresholds and parameters are in it, so editing a rule's condition makes its
 * old alerts resolve as removed instead of silently standing for a different condition.
 */
export function conditionKey(c: AlertCondition, threshold?: number): string {
  switch (c.type) {
    case 'percent_used':
    case 'remaining_below':
      return `${c.type}:${threshold}`;
    case 'forecast_runout':
      return `${c.type}:${c.leadDays}d`;
    case 'burst':
      return `${c.type}:${c.by ?? 'app+action'}:${c.windowSeconds}s:${c.credits ?? '-'}cr:${c.calls ?? '-'}calls`;
    case 'daily_anomaly':
      return `${c.type}:${c.factor}x:${c.trailingDays ?? 7}d:${c.minCredits ?? 10}min`;
  }
}

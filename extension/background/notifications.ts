// Desktop notifications for alerts the server pushes, with Acknowledge and Snooze buttons (Chromium; Firefox
// has no buttons, so a click there acknowledges). The notification id is the alert id.
import { browser } from 'wxt/browser';
import type { Alert } from '../../shared/schemas/alerts';
import type { Prefs } from '../../shared/messages';

const RANK = { info: 0, warning: 1, critical: 2 } as const;

export function shouldNotify(alert: Pick<Alert, 'severity' | 'acks' | 'snoozes'>, prefs: Prefs, memberId: string | undefined, now: number): boolean {
  if (!prefs.notifications || RANK[alert.severity] < RANK[prefs.minSeverity]) return false;
  if (alert.acks?.some((a) => a.memberId === memberId)) return false;
  return !alert.snoozes?.some((s) => s.memberId === memberId && Date.parse(s.until) > now);
}

export async function showAlert(alert: Alert): Promise<void> {
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: alert.title,
    message: alert.detail,
    priority: alert.severity === 'critical' ? 2 : 1,
  };
  try {
    await browser.notifications.create(alert.id, { ...base, buttons: [{ title: 'Acknowledge' }, { title: 'Snooze 1 hour' }], requireInteraction: alert.severity === 'critical' } as never);
  } catch {
    await browser.notifications.create(alert.id, base);
  }
}

export const clearAlert = (id: string) => browser.notifications.clear(id).catch(() => false);

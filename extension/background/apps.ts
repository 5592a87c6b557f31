// Whose app is this? A call in a published Base44 app spends that app's workspace's credits — which is
// this team's only if the app is one of its own. Anyone can publish a `*.base44.app` app, and a member who
// merely visits someone else's would otherwise inflate the team's usage and fire false alerts (or a hostile
// page could forge calls). So a published call counts only for a known app: one the server lists for the
// workspace, or one this member opened in the editor or its preview (they can only build apps they have
// access to). Calls for unknown apps are held, not sent; they count as soon as their app becomes known.
import type { UsageEvent } from '../../shared/schemas/events';

const SELF_EVIDENT = new Set(['editor', 'preview', 'local-dev']);

/** Apps these events prove this member works on (editor, preview, local dev). */
export function appsProvenBy(events: UsageEvent[]): string[] {
  return [...new Set(events.filter((e) => e.appId && SELF_EVIDENT.has(e.context)).map((e) => e.appId!))];
}

export function partitionByApp(events: UsageEvent[], known: ReadonlySet<string>): { counted: UsageEvent[]; held: UsageEvent[] } {
  const counted: UsageEvent[] = [];
  const held: UsageEvent[] = [];
  for (const e of events) (!e.appId || SELF_EVIDENT.has(e.context) || known.has(e.appId) ? counted : held).push(e);
  return { counted, held };
}

export const MAX_KNOWN_APPS = 1000;
export const MAX_HELD = 2000;

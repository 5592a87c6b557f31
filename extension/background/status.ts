// What the popup and options pages show, gathered in one reply: the pairing, the connection, the balance
// (with local pending credits), the outbox, the current tab's app and last flows, and the team view fetched
// live (or the last fetched copy, with its age, when the server is unreachable).
import { browser } from 'wxt/browser';
import { appIdFromPage, contextOf } from '../../shared/base44/classify';
import type { Context } from '../../shared/schemas/events';
import type { Api } from '../utils/api';
import { items, type Connection, type Delivery, type Flow, type KnownBalance, type RecentEvent, type Team } from '../utils/storage';
import type { Prefs } from '../../shared/messages';
import { kindForTab, pendingCredits } from './badge';
import { outboxStore } from '../utils/outbox-store';

export interface Status {
  now: number;
  pairing: { server: string; workspace: { id: string; name: string }; member: { id: string; name: string; role: string } } | null;
  connection: Connection;
  balance: KnownBalance | null;
  pending: { message: number; integration: number };
  outbox: { count: number; delivery: Delivery };
  /** Calls in apps not known to be this workspace's (not counted; see background/apps.ts). */
  held?: { count: number; apps: string[] };
  tab: { url?: string; appId?: string; context?: Context; kind: 'message' | 'integration' };
  flows: Flow[];
  recent: RecentEvent[];
  team: Team | null;
  teamLive: boolean;
  outOfCredits: { at: string; appId?: string } | null;
  alerts: { id: string; title: string; severity: string; firedAt: string; resolved: boolean; handled?: boolean }[];
  prefs: Prefs;
  domains: string[];
  /** Page readings that failed the plausibility check. */
  flaggedReadings?: { at: string; pool: string; remaining: number; reason: string }[];
}

async function fetchTeam(a: Api, now: number, appId?: string): Promise<Team> {
  const [byMember, byApp, byContext, members, apps, actions] = await Promise.all([
    a.usage({ groupBy: 'member' }),
    a.usage({ groupBy: 'app' }),
    a.usage({ groupBy: 'context', kind: 'integration' }),
    a.members(),
    a.apps(),
    appId ? a.usage({ groupBy: 'action', appId }) : Promise.resolve(null),
  ]);
  const names: Record<string, string> = {};
  for (const m of members.members) names[m.id] = m.name;
  for (const app of apps.apps) if (app.name) names[app.id] = app.name;
  const previous = await items.team.get();
  return { at: now, byMember: byMember.rows, byApp: byApp.rows, byContext: byContext.rows, names, appActions: { ...(previous?.appActions ?? {}), ...(appId && actions ? { [appId]: actions.rows } : {}) } };
}

export async function buildStatus(d: { api: () => Promise<Api | null>; now: () => number; tabId?: number }): Promise<Status> {
  const tabUrl = d.tabId !== undefined ? await browser.tabs.get(d.tabId).then((t) => t.url, () => undefined) : undefined;
  const fromUrl = tabUrl ? appIdFromPage(tabUrl) : undefined;
  const appId = fromUrl ?? (d.tabId !== undefined ? (await items.tabApps.get())[d.tabId] : undefined);
  const a = await d.api();
  let team = await items.team.get();
  let teamLive = false;
  // Open pages poll every few seconds: the team view (five requests) is re-read at most every 10 s, unless
  // asked (refresh marks the copy as old) or the current app's breakdown is missing.
  const fresh = team && d.now() - team.at < 10_000 && (!appId || team.appActions[appId]);
  if (fresh) teamLive = true;
  else if (a) {
    try {
      team = await fetchTeam(a, d.now(), appId);
      await items.team.set(team);
      teamLive = true;
    } catch {
      // unreachable: the last copy stays, shown with its age
    }
  }
  const [pairing, connection, balance, outbox, delivery, flows, recent, ooc, alerts, prefs, domains] = await Promise.all([
    items.pairing.get(), items.connection.get(), items.balance.get(), outboxStore.summary(), items.delivery.get(), items.flows.get(),
    items.recent.get(), items.outOfCredits.get(), items.alerts.get(), items.prefs.get(), items.domains.get(),
  ]);
  const held = await items.held.get();
  const flaggedReadings = await items.flaggedReadings.get();
  return {
    now: d.now(),
    flaggedReadings,
    held: { count: held.length, apps: [...new Set(held.map((e) => e.appId ?? ''))].filter(Boolean) },
    pairing: pairing && { server: pairing.server, workspace: pairing.workspace, member: pairing.member },
    connection,
    balance,
    pending: { message: pendingCredits('message', outbox, delivery, balance), integration: pendingCredits('integration', outbox, delivery, balance) },
    outbox: { count: outbox.count, delivery },
    tab: { url: tabUrl, appId, context: tabUrl ? contextOf(tabUrl) : undefined, kind: kindForTab(tabUrl) },
    flows,
    recent,
    team,
    teamLive,
    outOfCredits: ooc,
    alerts,
    prefs,
    domains,
  };
}

// The background, assembled: outbox, stream, badge, notifications, pairing and the message handlers. Every
// piece keeps its state in storage (utils/storage.ts), so a worker stopped and restarted mid-way resumes:
// `wake()` runs on every start, reconnects the stream, flushes the outbox and repaints the badge.
import { browser } from 'wxt/browser';
import { createWitnessMerger } from '../../shared/base44/witness';
import type { SseFrame } from '../../shared/sse';
import type { Alert } from '../../shared/schemas/alerts';
import type { CallReport } from '../../shared/messages';
import type { UsageEvent } from '../../shared/schemas/events';
import { createApi, pair as pairRequest, type Api } from '../utils/api';
import { items, knownBalanceSchema } from '../utils/storage';
import { outboxStore } from '../utils/outbox-store';
import { createOutbox } from './outbox';
import { createStream } from './stream';
import { badgeFor, outOfCreditsOver } from './badge';
import { clearAlert, shouldNotify, showAlert } from './notifications';
import { syncRegistrations } from './domains';
import { addToFlows, addToRecent, toUsageEvent } from './events';
import { appsProvenBy, MAX_HELD, MAX_KNOWN_APPS, partitionByApp } from './apps';
import { recordPageReading } from './readings';
import { createRouter, type Handlers } from './router';
import { buildStatus } from './status';

export const ALARMS = { watchdog: 'watchdog', retry: 'outbox-retry' } as const;

export function createBackground(now: () => number = Date.now) {
  const api = async (): Promise<Api | null> => {
    const p = await items.pairing.get();
    return p ? createApi(p.server, p.token, p.workspace.id) : null;
  };
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const outbox = createOutbox({
    api,
    now,
    scheduleRetry(at) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void outbox.flush({ force: true }).then(updateBadge), Math.max(0, at - now()));
      void browser.alarms.create(ALARMS.retry, { when: Math.max(at, now() + 30_000) });
    },
    onAuthError: () => void revoked(),
    // The server is back: reconnect the stream now rather than after its backoff (badge and alerts catch up).
    onDelivered: () => stream.nudge(),
  });
  const stream = createStream({ api, now, onFrame, onOpen: catchUp, onRevoked: () => void revoked() });
  const witnesses = createWitnessMerger<CallReport>();

  async function revoked() {
    const c = await items.connection.get();
    if (c.state === 'revoked' || !(await items.pairing.get())) return; // keep "since"; an unpaired state stays unpaired
    await items.connection.set({ ...c, state: 'revoked', since: now(), error: 'the server no longer accepts this device: pair again' });
    await updateBadge();
  }

  async function updateBadge(): Promise<void> {
    const [pairing, balance, outboxEvents, delivery, ooc, tabs] = await Promise.all([
      items.pairing.get(), items.balance.get(), outboxStore.summary(), items.delivery.get(), items.outOfCredits.get(),
      browser.tabs.query({ active: true, lastFocusedWindow: true }).catch(() => []),
    ]);
    const b = badgeFor({ balance, outbox: outboxEvents, delivery, tabUrl: tabs[0]?.url, memberId: pairing?.member.id, paired: !!pairing, outOfCredits: !!ooc });
    await Promise.all([
      browser.action.setBadgeText({ text: b.text }),
      browser.action.setBadgeBackgroundColor({ color: b.color }),
      browser.action.setTitle({ title: b.title }),
    ]).catch(() => undefined);
  }

  /** After each (re)connect: the authoritative balance and the price table, in case frames were missed. */
  async function catchUp(): Promise<void> {
    const a = await api();
    if (!a) return;
    const [balance, prices, apps, pack] = await Promise.allSettled([a.balance(), a.prices(), a.apps(), a.patternPack()]);
    if (pack.status === 'fulfilled') await items.pack.set(pack.value);
    if (apps.status === 'fulfilled') {
      const released = await learnApps(apps.value.apps.map((x) => x.id));
      if (released.length) await outbox.add(released);
    }
    if (balance.status === 'fulfilled') {
      await items.balance.set({ ...balance.value, receivedAt: now() });
      if (outOfCreditsOver(await items.outOfCredits.get(), balance.value.pools)) await items.outOfCredits.set(null);
    }
    if (prices.status === 'fulfilled') await items.prices.set(prices.value.overrides ?? {});
    await updateBadge();
    // The server is reachable again: send what waited, whatever the backoff said.
    void outbox.flush({ force: true }).then(updateBadge);
  }

  async function onFrame(f: SseFrame): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(f.data);
    } catch {
      return;
    }
    if (f.event === 'balance') {
      const parsed = knownBalanceSchema.safeParse({ ...(data as object), receivedAt: now() });
      if (parsed.success) {
        await items.balance.set(parsed.data);
        if (outOfCreditsOver(await items.outOfCredits.get(), parsed.data.pools)) await items.outOfCredits.set(null);
      }
      await updateBadge();
    } else if (f.event === 'usage') {
      const events = (data as { events?: unknown })?.events;
      if (Array.isArray(events)) await items.recent.set(addToRecent(await items.recent.get(), events.filter((e) => e && typeof e.id === 'string' && typeof e.at === 'string').slice(0, 50)));
    } else if (f.event === 'alert' || f.event === 'alert.resolved') {
      await onAlert(data as Alert, f.event === 'alert.resolved');
    }
  }

  async function onAlert(alert: Alert, resolved: boolean): Promise<void> {
    // A frame is data from the server: only a well-formed alert is stored (a bad one would spoil the list).
    if (typeof alert?.id !== 'string' || typeof alert.title !== 'string' || typeof alert.detail !== 'string' || typeof alert.firedAt !== 'string') return;
    if (!['info', 'warning', 'critical'].includes(alert.severity)) return;
    const [prefs, pairing, previous] = await Promise.all([items.prefs.get(), items.pairing.get(), items.alerts.get()]);
    // The server re-sends an alert when someone acknowledges or snoozes it (so every device agrees): it is
    // handled for this member once they did, here or on another device.
    const me = pairing?.member.id;
    const mine = alert.acks?.some((a) => a.memberId === me) || alert.snoozes?.some((x) => x.memberId === me && Date.parse(x.until) > now());
    const handled = !!mine || (!Array.isArray(alert.acks) && !!previous.find((a) => a.id === alert.id)?.handled);
    const notes = previous.filter((a) => a.id !== alert.id);
    notes.unshift({ id: alert.id, title: alert.title, severity: alert.severity, firedAt: alert.firedAt, resolved, handled });
    await items.alerts.set(notes.slice(0, 20));
    if (resolved || handled) return void (await clearAlert(alert.id));
    if (shouldNotify(alert, prefs, pairing?.member.id, now())) await showAlert(alert).catch(() => undefined);
  }

  async function rememberTabApp(tabId: number | undefined, reports: CallReport[]): Promise<void> {
    const appId = [...reports].reverse().find((r) => r.appId)?.appId;
    if (tabId === undefined || !appId) return;
    const map = await items.tabApps.get();
    if (map[tabId] === appId) return;
    const entries = Object.entries({ ...map, [tabId]: appId } as Record<string, string>).slice(-50);
    await items.tabApps.set(Object.fromEntries(entries) as Record<string, string>);
  }

  /** Events observed here: into the outbox first (durable), then into the local views (flows, recent calls). */
  async function keep(events: UsageEvent[], repeats: Set<string>): Promise<void> {
    await outbox.add(events);
    await items.flows.set(addToFlows(await items.flows.get(), events, repeats));
    await items.recent.set(addToRecent(await items.recent.get(), events));
  }

  async function record(reports: CallReport[]): Promise<void> {
    // Unpaired, there is no workspace to count for: events kept now would land in whichever one is paired next.
    if (!(await items.pairing.get())) return;
    const prices = await items.prices.get();
    const counted = reports.filter((r) => r.via === 'direct');
    // The window runs from when a report arrives, not from when its call started: both reports of a 12 s LLM
    // call arrive together, long after it started.
    const arrived = now();
    for (const r of counted) witnesses.direct(r.key, arrived);
    for (const r of reports) if (r.via === 'witness') witnesses.witness(r.key, arrived, r);
    const due = witnesses.due(now());
    if (reports.some((r) => r.via === 'witness')) setTimeout(() => void record([]), 11_000);
    const observed: UsageEvent[] = [...counted, ...due].map((r) => toUsageEvent(r, prices));
    if (!observed.length) return;
    const released = await learnApps(appsProvenBy(observed));
    const { counted: events, held } = partitionByApp(observed, new Set(await items.knownApps.get()));
    if (held.length) await items.held.set([...(await items.held.get()), ...held].slice(-MAX_HELD));
    events.push(...released);
    if (!events.length) return;
    await keep(events, new Set([...counted, ...due].filter((r) => r.repeat).map((r) => r.id)));
    const ooc = events.filter((e) => e.outcome === 'out_of_credits').at(-1);
    if (ooc) await items.outOfCredits.set({ at: ooc.at, appId: ooc.appId });
    else if (events.some((e) => e.outcome === 'ok')) await items.outOfCredits.set(null);
    await updateBadge();
    void outbox.flush().then(updateBadge);
  }

  /** Adds apps to the known list; returns the held events they release (to be counted now). */
  async function learnApps(appIds: string[]): Promise<UsageEvent[]> {
    const known = await items.knownApps.get();
    const fresh = appIds.filter((id) => !known.includes(id));
    if (!fresh.length) return [];
    await items.knownApps.set([...known, ...fresh].slice(-MAX_KNOWN_APPS));
    const held = await items.held.get();
    const released = held.filter((e) => e.appId && fresh.includes(e.appId));
    if (released.length) await items.held.set(held.filter((e) => !released.includes(e)));
    return released;
  }

  async function pairWith(server: string, code: string) {
    const base = server.replace(/\/+$/, '');
    const reply = await pairRequest(base, code.trim(), 'Creditwatch extension');
    const previous = await items.pairing.get();
    if (previous && previous.workspace.id !== reply.workspace.id) await Promise.all([outbox.clear(), items.knownApps.set([]), items.held.set([])]);
    stream.close();
    await items.pairing.set({ server: base, token: reply.token, workspace: reply.workspace, member: reply.member, pairedAt: new Date(now()).toISOString() });
    await items.connection.set({ state: 'connecting', since: now() });
    await items.team.set(null);
    void stream.connect();
    await catchUp().catch(() => undefined);
    return { workspace: reply.workspace, member: reply.member };
  }

  const handlers: Handlers = {
    calls: async ({ calls }, sender) => {
      await record(calls);
      await rememberTabApp(sender.tab?.id, calls);
    },
    runaway: async () => undefined,
    reading: async (r) => {
      if (!(await items.pairing.get())) return undefined;
      const result = await recordPageReading(
        { api, now, newId: () => crypto.randomUUID().replaceAll('-', ''), sendEvents: async (events) => {
          await keep(events, new Set());
          await outbox.flush({ force: true });
        } },
        r,
      );
      await updateBadge();
      return result.accepted ? undefined : result.reason;
    },
    status: async ({ tabId }) => buildStatus({ api, now, tabId }),
    pair: async ({ server, code }) => pairWith(server, code),
    unpair: async () => {
      stream.close();
      // Tell the server this device's token is done; unpairing still happens locally if it is unreachable.
      const a = await api();
      await a?.revokeToken().catch(() => undefined);
      await Promise.all([
        items.pairing.set(null), outbox.clear(), items.balance.set(null), items.team.set(null), items.recent.set([]), items.flows.set([]),
        items.alerts.set([]), items.outOfCredits.set(null), items.tabApps.set({}), items.knownApps.set([]), items.held.set([]), items.delivery.set({ attempts: 0, acked: [], rejected: [] }),
        items.connection.set({ state: 'unpaired', since: now() }),
      ]);
      await updateBadge();
    },
    refresh: async () => {
      const team = await items.team.get();
      if (team) await items.team.set({ ...team, at: 0 }); // the next status reads the team view afresh
      if (!stream.live()) void stream.connect();
      await catchUp().catch(() => undefined);
    },
    setPrefs: async (prefs) => {
      await items.prefs.set(prefs);
      await syncRegistrations();
    },
    addDomain: async ({ domain }) => {
      const domains = await items.domains.get();
      if (!domains.includes(domain)) await items.domains.set([...domains, domain].sort());
      await syncRegistrations();
    },
    removeDomain: async ({ domain }) => {
      await items.domains.set((await items.domains.get()).filter((d) => d !== domain));
      await syncRegistrations();
    },
    calibrate: async ({ pool, remaining }) => {
      const a = await api();
      if (!a) throw new Error('not paired');
      await a.postReading({ pool, remaining, at: new Date(now()).toISOString(), source: 'manual', exact: true });
      await catchUp().catch(() => undefined);
    },
    proposals: async () => {
      const a = await api();
      if (!a) return [];
      return (await a.proposals()).proposals;
    },
    proposalAction: async ({ action, decision, proposed }) => {
      const a = await api();
      if (!a) throw new Error('not paired');
      await a.proposalAction(action, decision, proposed);
      if (decision === 'accept') await catchUp().catch(() => undefined); // the new price table
    },
    alertAction: async ({ alertId, snoozeMinutes }) => {
      const a = await api();
      if (!a) throw new Error('not paired');
      await a.alertAction(alertId, snoozeMinutes);
      await clearAlert(alertId);
      // Acknowledged or snoozed here: the popup stops listing it (the server keeps who did what).
      await items.alerts.set((await items.alerts.get()).map((n) => (n.id === alertId ? { ...n, handled: true } : n)));
    },
  };

  async function wake(): Promise<void> {
    await browser.alarms.create(ALARMS.watchdog, { periodInMinutes: 0.5 });
    await updateBadge();
    if (await items.pairing.get()) {
      void stream.connect();
      void outbox.flush().then(updateBadge);
    }
  }

  async function onAlarm(name: string): Promise<void> {
    if (!(await items.pairing.get())) return;
    if (name === ALARMS.watchdog) {
      if (stream.stale()) void stream.restart();
      else if (!stream.live()) void stream.connect();
      const due = ((await items.delivery.get()).nextAttemptAt ?? 0) <= now();
      if (due && (await outboxStore.summary()).count) void outbox.flush({ force: true }).then(updateBadge);
      void record([]);
    }
    if (name === ALARMS.retry) await outbox.flush({ force: true }).then(updateBadge);
  }

  async function onNotificationButton(id: string, button: number): Promise<void> {
    await handlers.alertAction({ alertId: id, ...(button === 1 ? { snoozeMinutes: 60 } : {}) }, {}).catch(() => undefined);
  }

  const route = createRouter({ extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/'), handlers });
  return { wake, onAlarm, onNotificationButton, route, updateBadge, outbox, stream, handlers };
}

// The isolated-world side of the page hook: takes the hook's metadata (untrusted — the page can forge it),
// validates and classifies it, groups calls into flows by user gesture, warns in the page about loops at once,
// and hands classified calls to the background in small batches. In the editor it also listens to the
// preview's `api-request-start/end` messages as a second witness (background de-duplicates, see witness.ts).
import { classifyCall } from '../../shared/base44/classify';
import { createFlowTracker } from '../../shared/base44/flows';
import { createRunawayDetector, type RunawayState } from '../../shared/base44/repeats';
import { priceFor } from '../../shared/ledger/prices';
import { HOOK_EVENT, hookCallSchema, type CallReport, type Runaway } from '../../shared/messages';
import { listenForWitness } from './witness';
import { keyOf } from './key';
import { onPageBatch } from './page-events';
import { callReport } from './report';

export interface ObserverDeps {
  win: Window;
  pageUrl: () => string;
  localDev: boolean;
  newId: () => string;
  now: () => number;
  sendCalls: (calls: CallReport[]) => void;
  sendRunaway: (r: Runaway) => void;
  showLoopWarning: (r: RunawayState) => void;
}

// A page that floods us is capped: a real app makes far fewer billed calls than this per second.
// The hook sends at most 100 calls per event (hook/emit.ts), each well under 1 kB.
const MAX_DETAIL = 128 * 1024;
const MAX_CALLS = 100;
// Calls go to the background at most every 200 ms: one message (and one storage write) per burst, not per call.
const BATCH_MS = 200;
// The background hears of a runaway at most this often; the in-page banner updates at most every 500 ms.
const RUNAWAY_REPORT_MS = 5_000;
const WARNING_REFRESH_MS = 500;

export function startObserver(d: ObserverDeps): void {
  const flows = createFlowTracker({ newId: d.newId });
  const runaway = createRunawayDetector();
  let queue: CallReport[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The default price of an action, remembered: the loop check needs it for every call.
  const prices = new Map<string, number>();
  const estimate = (action: string) => {
    let p = prices.get(action);
    if (p === undefined) prices.set(action, (p = priceFor(action).credits));
    return p;
  };
  let reportedAt = -Infinity;
  let shownAt = -Infinity;
  let pendingWarning: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!queue.length) return;
    const calls = queue;
    queue = [];
    for (let i = 0; i < calls.length; i += 200) d.sendCalls(calls.slice(i, i + 200));
  };
  const enqueue = (r: CallReport) => {
    queue.push(r);
    timer ??= setTimeout(flush, BATCH_MS);
    if (r.via !== 'direct' || r.outcome === 'out_of_credits') return;
    if (!runaway.add({ at: d.now(), action: r.action, credits: r.credits ?? estimate(r.action), repeat: r.repeat })) return;
    const now = d.now();
    if (now - shownAt >= WARNING_REFRESH_MS) {
      shownAt = now;
      d.showLoopWarning(runaway.state());
    } else {
      pendingWarning ??= setTimeout(() => {
        pendingWarning = undefined;
        shownAt = d.now();
        d.showLoopWarning(runaway.state());
      }, WARNING_REFRESH_MS);
    }
    if (now - reportedAt >= RUNAWAY_REPORT_MS) {
      reportedAt = now;
      d.sendRunaway({ appId: r.appId, ...runaway.state() });
    }
  };

  const gesture = (e: Event) => {
    if (e.isTrusted) flows.gesture(d.now());
  };
  // The hook sends its last batch on pagehide (capture phase, before this): pass it on before the page goes.
  d.win.addEventListener('pagehide', () => flush());
  d.win.addEventListener('pointerdown', gesture, true);
  d.win.addEventListener('keydown', gesture, true);

  const onCall = (raw: unknown) => {
    const parsed = hookCallSchema.safeParse(raw);
    if (!parsed.success) return;
    const call = parsed.data;
    const pageUrl = d.pageUrl();
    const c = classifyCall({ url: call.url, method: call.method, status: call.status, pageUrl, reply: call.reply, localDev: d.localDev });
    if (!c) return;
    // The page's clock is ours (same process), but the page could lie: trust its start only when plausible.
    const now = d.now();
    const start = Math.abs(call.start - now) < 3_600_000 ? call.start : now;
    enqueue(callReport(c, { id: d.newId(), start, flowId: flows.flowFor(start, start + call.ms), repeat: call.repeat, via: 'direct', key: keyOf(call.method, call.url, pageUrl) }));
  };

  onPageBatch(d.win.document, HOOK_EVENT, { maxChars: MAX_DETAIL, maxItems: MAX_CALLS }, (calls) => calls.forEach(onCall));

  if (new URL(d.pageUrl()).hostname === 'app.base44.com') listenForWitness(d.win, { newId: d.newId, now: d.now, report: enqueue, flowFor: (s, e) => flows.flowFor(s, e) });
}

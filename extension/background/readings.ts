// Page readings, in the background: judged for plausibility against the last one (shared/readers/judge.ts),
// then sent to the server as `page` readings. In an editor tab a drop in message credits is a prompt: it is
// recorded as a `builder.prompt` (or `builder.discuss`) event for that app — the editor's own "Credits Used"
// when shown, else the drop — and sent BEFORE the reading, so the server's reconciliation sees the prompt
// as observed use instead of counting the same credits again as `unobserved`.
import { judgeReading, promptCost } from '../../shared/readers/judge';
import type { PageReadingMessage } from '../../shared/messages';
import type { UsageEvent } from '../../shared/schemas/events';
import type { Api } from '../utils/api';
import { items } from '../utils/storage';

/** A prompt is attributed only against a reading this recent: an older one may span several prompts. */
const ATTRIBUTION_WINDOW_MS = 2 * 3600_000;

export interface ReadingDeps {
  api: () => Promise<Api | null>;
  now: () => number;
  newId: () => string;
  /** Adds events to the outbox and sends them now (resolves once the attempt is over). */
  sendEvents: (events: UsageEvent[]) => Promise<void>;
}

export async function recordPageReading(d: ReadingDeps, r: PageReadingMessage): Promise<{ accepted: boolean; reason?: string; prompt?: UsageEvent }> {
  const a = await d.api();
  if (!a) return { accepted: false, reason: 'not paired' };
  const [previous, balance] = await Promise.all([items.pageReadings.get(), items.balance.get()]);
  const prev = previous[r.pool];
  const pool = balance?.pools.find((p) => p.kind === r.pool);
  const at = Date.parse(r.at);
  const verdict = judgeReading(prev, { ...r, rule: 'page' }, { cycleStart: pool ? Date.parse(pool.cycle.start) : 0 });
  if (!verdict.ok) {
    const flagged = await items.flaggedReadings.get();
    await items.flaggedReadings.set([...flagged, { at: r.at, pool: r.pool, remaining: r.remaining, reason: verdict.reason }].slice(-20));
    return { accepted: false, reason: verdict.reason };
  }
  let prompt: UsageEvent | undefined;
  if (r.pool === 'message' && r.appId && prev && at - prev.at <= ATTRIBUTION_WINDOW_MS) {
    const cost = promptCost({ pool: 'message', ...prev, rule: 'page' }, { ...r, rule: 'page', at });
    if (cost) {
      const shown = r.promptCost !== undefined && r.promptCost > 0;
      const id = d.newId();
      prompt = {
        id,
        // A prompt is its own flow: the popup's "last click" for an editor tab is the last prompt.
        flowId: id,
        at: new Date(at - 1).toISOString(),
        kind: 'message',
        credits: shown ? r.promptCost! : cost.credits,
        exact: shown || cost.exact,
        action: r.discuss ? 'builder.discuss' : 'builder.prompt',
        appId: r.appId,
        context: 'editor',
        outcome: 'ok',
      };
      await d.sendEvents([prompt]);
    }
  }
  await items.pageReadings.set({ ...previous, [r.pool]: { remaining: r.remaining, ...(r.limit !== undefined ? { limit: r.limit } : {}), exact: r.exact, at } });
  await a.postReading({ pool: r.pool, remaining: r.remaining, ...(r.limit !== undefined ? { limit: r.limit } : {}), ...(r.used !== undefined ? { used: r.used } : {}), at: r.at, source: 'page', exact: r.exact });
  return { accepted: true, prompt };
}

// The "who and what burned it" lists an alert carries: the top apps, members and actions of its window.
import { roundCredits } from '../ledger/credits';
import { NONE_KEY } from '../ledger/usage';
import type { Alert, TopEntry } from '../schemas/alerts';
import type { StoredUsageEvent } from '../schemas/events';
import type { Names } from './targets';

export const TOP_N = 5;

type Tally = Map<string, { credits: number; calls: number }>;

const add = (m: Tally, key: string, credits: number) => {
  const t = m.get(key);
  if (t) {
    t.credits += credits;
    t.calls++;
  } else m.set(key, { credits, calls: 1 });
};

function rank(m: Tally, names?: Map<string, string>): TopEntry[] {
  const rows = [...m].map(([key, t]) => ({ key, credits: roundCredits(t.credits), calls: t.calls }));
  // Credits first (what the lead pays), then calls (a loop of free calls is still worth seeing), then the key so
  // equal rows come out in the same order on every evaluation.
  rows.sort((a, b) => b.credits - a.credits || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.slice(0, TOP_N).map((r) => {
    const label = names?.get(r.key);
    return label !== undefined ? { ...r, label } : r;
  });
}

/** Top apps, members and actions of `events` (already restricted to the alert's window and scope). */
export function topOf(events: Iterable<StoredUsageEvent>, names: Names): Alert['top'] {
  const apps: Tally = new Map();
  const members: Tally = new Map();
  const actions: Tally = new Map();
  for (const e of events) {
    add(apps, e.appId ?? NONE_KEY, e.credits);
    add(members, e.memberId ?? NONE_KEY, e.credits);
    add(actions, e.action, e.credits);
  }
  return { apps: rank(apps, names.apps), members: rank(members, names.members), actions: rank(actions) };
}

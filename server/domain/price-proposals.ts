// Price proposals: what the reconciled intervals of the integration pool (kept with each reading, readings.ts)
// say the estimated actions really cost (shared/ledger/price-learning.ts). Leads see them, accept one — it
// becomes a price override through the price table's own path — or dismiss it until the evidence changes
// materially (another figure, a changed price, twice the calls).
import { learnPrices, stillDismissed, type PriceProposal } from '../../shared/ledger';
import type { PriceProposalDecision } from '../../shared/schemas/workspace';
import type { Auth } from '../http/auth';
import { conflict, notFound } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';
import { patchPrices } from './settings';

/** Older intervals are not used: Base44 prices change (an app switches model), and old evidence would blur the new price. */
const WINDOW_DAYS = 60;

function learn(deps: DomainDeps, wsId: string) {
  const ws = workspaceOf(deps, wsId);
  const since = deps.now() - WINDOW_DAYS * 86_400_000;
  const intervals = ws.priceIntervals.filter((i) => Date.parse(i.to) >= since);
  return { ws, intervals, learned: learnPrices(intervals, ws.prices) };
}

export function priceProposals(deps: DomainDeps, wsId: string) {
  const { ws, intervals, learned } = learn(deps, wsId);
  const hidden = (p: PriceProposal) => stillDismissed(p, ws.priceDismissals[p.action]);
  return {
    proposals: learned.proposals.filter((p) => !hidden(p)),
    dismissed: learned.proposals.filter(hidden),
    estimates: learned.estimates,
    intervals: intervals.length,
    leftOut: learned.leftOut,
  };
}

/** The current proposal for `action` (dismissed or not); 409 when it no longer is the figure the lead saw. */
function current(deps: DomainDeps, wsId: string, action: string, body: PriceProposalDecision): PriceProposal {
  const p = learn(deps, wsId).learned.proposals.find((x) => x.action === action);
  if (!p) throw notFound('price proposal');
  if (body.proposed !== undefined && body.proposed !== p.proposed) {
    throw conflict(`the proposal for ${action} is now ${p.proposed} credits, not ${body.proposed}: review it again`);
  }
  return p;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function acceptProposal(deps: DomainDeps, auth: Auth, action: string, body: PriceProposalDecision) {
  const p = current(deps, auth.wsId, action, body);
  const note = `learned from readings: ${plural(p.calls, 'call')} over ${plural(p.intervals, 'interval')}`;
  const table = await patchPrices(deps, auth, { [action]: { credits: p.proposed, note } });
  if (Object.hasOwn(workspaceOf(deps, auth.wsId).priceDismissals, action)) {
    await deps.store.commit({ op: 'price.dismissal', wsId: auth.wsId, action, dismissal: null }).durable;
  }
  return { accepted: p, ...table };
}

export async function dismissProposal(deps: DomainDeps, auth: Auth, action: string, body: PriceProposalDecision) {
  const p = current(deps, auth.wsId, action, body);
  const dismissal = { proposed: p.proposed, current: p.current, calls: p.calls, at: iso(deps.now()), memberId: auth.memberId };
  await deps.store.commit({ op: 'price.dismissal', wsId: auth.wsId, action, dismissal }).durable;
  return { dismissed: p };
}

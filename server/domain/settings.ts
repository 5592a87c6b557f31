// Apps, grants and the price table: what leads configure so the ledger matches the team's real plan.
import { DEFAULT_PRICES, mergePrices } from '../../shared/ledger';
import type { GrantBody, Grant } from '../../shared/schemas/grants';
import type { Auth } from '../http/auth';
import type { AppRecord, PriceOverride } from '../store/records';
import { invalid, notFound } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

const YEAR_MS = 365 * 86_400_000;

export function listApps(deps: DomainDeps, wsId: string) {
  return { apps: Object.values(workspaceOf(deps, wsId).apps) };
}

export async function putApp(deps: DomainDeps, auth: Auth, appId: string, body: Partial<Omit<AppRecord, 'id' | 'firstSeenAt'>>) {
  const ws = workspaceOf(deps, auth.wsId);
  if (body.ownerId && !Object.hasOwn(ws.members, body.ownerId)) throw invalid('ownerId names no member', [{ path: 'body.ownerId', message: 'no such member' }]);
  const prev = Object.hasOwn(ws.apps, appId) ? ws.apps[appId] : undefined;
  const app: AppRecord = { ...(prev ?? { id: appId, firstSeenAt: iso(deps.now()) }), ...body, id: appId };
  await deps.store.commit({ op: 'app.put', wsId: auth.wsId, app }).durable;
  deps.feed.changed(auth.wsId);
  return app;
}

export function listGrants(deps: DomainDeps, wsId: string) {
  return { grants: workspaceOf(deps, wsId).grants };
}

export async function addGrant(deps: DomainDeps, auth: Auth, body: GrantBody) {
  const ws = workspaceOf(deps, auth.wsId);
  const purchasedAt = body.purchasedAt ? Date.parse(body.purchasedAt) : deps.now();
  const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : purchasedAt + YEAR_MS;
  if (expiresAt <= purchasedAt) throw invalid('expiresAt must be after purchasedAt', [{ path: 'body.expiresAt', message: 'must be after purchasedAt' }]);
  const holder = body.holder ?? 'workspace';
  if (holder.startsWith('member:') && !Object.hasOwn(ws.members, holder.slice(7))) throw invalid('holder names no member', [{ path: 'body.holder', message: 'no such member' }]);
  const grant: Grant = {
    id: deps.ids.id('gr'), kind: body.kind, type: body.type, credits: body.credits, holder,
    purchasedAt: iso(purchasedAt), expiresAt: iso(expiresAt), ...(body.note ? { note: body.note } : {}),
  };
  await deps.store.commit({ op: 'grant.add', wsId: auth.wsId, grant }).durable;
  deps.feed.changed(auth.wsId);
  return grant;
}

export async function removeGrant(deps: DomainDeps, auth: Auth, grantId: string) {
  if (!workspaceOf(deps, auth.wsId).grants.some((g) => g.id === grantId)) throw notFound('grant');
  await deps.store.commit({ op: 'grant.remove', wsId: auth.wsId, grantId }).durable;
  deps.feed.changed(auth.wsId);
}

export function priceTable(deps: DomainDeps, wsId: string) {
  const ws = workspaceOf(deps, wsId);
  return { prices: mergePrices(DEFAULT_PRICES, ws.prices), overrides: ws.prices };
}

export async function patchPrices(deps: DomainDeps, auth: Auth, prices: Record<string, PriceOverride | null>) {
  await deps.store.commit({ op: 'prices.patch', wsId: auth.wsId, prices }).durable;
  return priceTable(deps, auth.wsId);
}

// Workspaces: creation (with the owner's first pairing code), settings, and what GET shows.
import type { WorkspacePatch, WorkspaceSettings } from '../../shared/schemas/workspace';
import { allowanceFor } from '../../shared/ledger/plans';
import { hashSecret } from '../http/auth';
import type { Auth } from '../http/auth';
import { invalid } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';
import { createInvite } from './pairing';
import { addDefaultRules } from './alerts';

export async function createWorkspace(deps: DomainDeps, name: string, ownerToken?: string) {
  const now = deps.now();
  const settings: WorkspaceSettings = {
    id: deps.ids.id('ws'),
    name,
    billingModel: 'pool',
    plan: 'free',
    cycleAnchor: iso(now),
    timezone: 'UTC',
    memberCaps: {},
    createdAt: iso(now),
  };
  await deps.store.commit({ op: 'ws.create', ws: settings }).durable;
  await addDefaultRules(deps, settings.id);
  if (ownerToken) {
    // Automation (CREDITWATCH_OWNER_TOKEN): the owner exists at once and holds exactly this token.
    const member = { id: deps.ids.id('mem'), name: 'Owner', role: 'owner' as const, createdAt: iso(now) };
    deps.store.commit({ op: 'member.add', wsId: settings.id, member });
    await deps.store.commit({ op: 'token.add', tokenHash: hashSecret(ownerToken), token: { wsId: settings.id, memberId: member.id, deviceName: 'CREDITWATCH_OWNER_TOKEN', createdAt: iso(now) } }).durable;
    return { workspace: settings };
  }
  const invite = await createInvite(deps, settings.id, { role: 'owner', name: 'Owner' });
  return { workspace: settings, invite };
}

export function hasOwner(deps: DomainDeps, wsId: string): boolean {
  return Object.values(workspaceOf(deps, wsId).members).some((m) => m.role === 'owner');
}

export function workspaceView(deps: DomainDeps, wsId: string) {
  const ws = workspaceOf(deps, wsId);
  const a = allowanceFor(ws.settings);
  return { ...ws.settings, allowances: { message: a.message, integration: a.integration, ...(a.dailyMessage ? { dailyMessage: a.dailyMessage } : {}) } };
}

export async function patchWorkspace(deps: DomainDeps, auth: Auth, patch: WorkspacePatch) {
  const ws = workspaceOf(deps, auth.wsId);
  const next = { ...ws.settings, ...patch };
  if (next.plan === 'custom' && !next.limits) {
    throw invalid('plan "custom" needs limits', [{ path: 'body.limits', message: 'set {message, integration} for a custom plan' }]);
  }
  if (patch.memberCaps?.byMember) {
    const unknown = Object.keys(patch.memberCaps.byMember).filter((id) => !Object.hasOwn(ws.members, id));
    if (unknown.length) throw invalid('memberCaps names unknown members', unknown.map((id) => ({ path: `body.memberCaps.byMember.${id}`, message: 'no such member' })));
  }
  await deps.store.commit({ op: 'ws.patch', wsId: auth.wsId, patch }).durable;
  deps.feed.changed(auth.wsId);
  return workspaceView(deps, auth.wsId);
}

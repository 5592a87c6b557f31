// Members: list, change role or name, remove, revoke a member's devices. Nobody acts on someone of higher
// rank, and the last owner stays an owner.
import { roleRank, type Role } from '../../shared/schemas/common';
import type { Auth } from '../http/auth';
import { conflict, forbidden, notFound } from './errors';
import { workspaceOf, type DomainDeps } from './deps';

export function listMembers(deps: DomainDeps, auth: Auth) {
  const ws = workspaceOf(deps, auth.wsId);
  const devices = new Map<string, number>();
  for (const t of Object.values(deps.store.state.tokens)) if (t.wsId === auth.wsId) devices.set(t.memberId, (devices.get(t.memberId) ?? 0) + 1);
  const seeEmails = roleRank[auth.role] >= roleRank.lead;
  return {
    members: Object.values(ws.members).map((m) => ({
      id: m.id, name: m.name, role: m.role, createdAt: m.createdAt, devices: devices.get(m.id) ?? 0,
      ...(seeEmails && m.email ? { email: m.email } : {}),
    })),
  };
}

function target(deps: DomainDeps, auth: Auth, memberId: string) {
  const members = workspaceOf(deps, auth.wsId).members;
  if (!Object.hasOwn(members, memberId)) throw notFound('member');
  const m = members[memberId];
  const self = m.id === auth.memberId;
  // Others are managed by leads (those below them) and owners (anyone); everybody may act on themselves.
  if (!self && roleRank[auth.role] < roleRank.lead) throw forbidden('only leads and owners manage other members');
  if (!self && roleRank[m.role] >= roleRank[auth.role] && auth.role !== 'owner') throw forbidden(`a ${auth.role} cannot change a ${m.role}`);
  return m;
}

function ownerCount(deps: DomainDeps, wsId: string): number {
  return Object.values(workspaceOf(deps, wsId).members).filter((m) => m.role === 'owner').length;
}

export async function patchMember(deps: DomainDeps, auth: Auth, memberId: string, patch: { role?: Role; name?: string }) {
  const m = target(deps, auth, memberId);
  if (patch.role && patch.role !== m.role) {
    if (roleRank[patch.role] > roleRank[auth.role]) throw forbidden(`a ${auth.role} cannot make someone ${patch.role}`);
    if (m.id === auth.memberId && roleRank[auth.role] < roleRank.lead) throw forbidden('you cannot change your own role');
    if (m.role === 'owner' && ownerCount(deps, auth.wsId) === 1) throw conflict('this is the last owner: make someone else owner first');
  }
  await deps.store.commit({ op: 'member.patch', wsId: auth.wsId, memberId, patch }).durable;
  return listMembers(deps, auth).members.find((x) => x.id === memberId);
}

export async function removeMember(deps: DomainDeps, auth: Auth, memberId: string) {
  const m = target(deps, auth, memberId);
  if (m.role === 'owner' && ownerCount(deps, auth.wsId) === 1) throw conflict('this is the last owner: make someone else owner first');
  await deps.store.commit({ op: 'member.remove', wsId: auth.wsId, memberId }).durable;
  deps.hub.disconnect(auth.wsId, (c) => c.memberId === memberId);
}

export async function revokeMemberTokens(deps: DomainDeps, auth: Auth, memberId: string) {
  target(deps, auth, memberId);
  const hashes = Object.entries(deps.store.state.tokens).filter(([, t]) => t.wsId === auth.wsId && t.memberId === memberId).map(([h]) => h);
  await deps.store.commit({ op: 'token.revoke', tokenHashes: hashes }).durable;
  deps.hub.disconnect(auth.wsId, (c) => hashes.includes(c.tokenHash));
  return { revoked: hashes.length };
}

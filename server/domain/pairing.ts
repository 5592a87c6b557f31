// Pairing: invites make single-use, expiring codes; a code is traded once for a bearer token. Codes and
// tokens are stored only as hashes.
import { roleRank, type Role } from '../../shared/schemas/common';
import type { InviteBody } from '../../shared/schemas/auth';
import { hashSecret, type Auth } from '../http/auth';
import { conflict, DomainError, forbidden, invalid } from './errors';
import { iso, normalizeCode, workspaceOf, type DomainDeps } from './deps';

const DAY = 86_400_000;
const MAX_OPEN_INVITES = 200;

export async function createInvite(deps: DomainDeps, wsId: string, body: InviteBody, by?: Auth) {
  const ws = workspaceOf(deps, wsId);
  if (by) {
    const ownDevice = body.memberId === by.memberId;
    if (!ownDevice && roleRank[by.role] < roleRank.lead) throw forbidden('only leads and owners invite members; you may add a device for yourself (memberId = your id)');
    if (roleRank[body.role] > roleRank[by.role]) throw forbidden(`a ${by.role} cannot invite a ${body.role}`);
  }
  if (body.memberId) {
    const m = ws.members[body.memberId];
    if (!m) throw invalid('memberId names no member of this workspace', [{ path: 'body.memberId', message: 'no such member' }]);
    if (m.role !== body.role) throw invalid(`member ${m.id} is a ${m.role}; change roles with PATCH .../members/{id}`, [{ path: 'body.role', message: `must be ${m.role}` }]);
  }
  const now = deps.now();
  const open = Object.values(deps.store.state.invites).filter((i) => i.wsId === wsId && Date.parse(i.expiresAt) > now).length;
  if (open >= MAX_OPEN_INVITES) throw conflict(`this workspace has ${open} unused pairing codes; let some expire or pair them first`);
  const code = deps.ids.code();
  const expiresAt = iso(now + (body.ttlMinutes ? body.ttlMinutes * 60_000 : DAY));
  await deps.store.commit({
    op: 'invite.create',
    codeHash: hashSecret(normalizeCode(code)),
    invite: { wsId, role: body.role, name: body.name, email: body.email, memberId: body.memberId, createdBy: by?.memberId, expiresAt, createdAt: iso(now) },
  }).durable;
  return { code, expiresAt };
}

export async function pair(deps: DomainDeps, code: string, deviceName?: string) {
  const codeHash = hashSecret(normalizeCode(code));
  const invite = deps.store.state.invites[codeHash];
  const now = deps.now();
  // One message for unknown, used and expired codes: a guesser learns nothing.
  if (!invite || Date.parse(invite.expiresAt) <= now || !deps.store.state.workspaces[invite.wsId]) {
    throw new DomainError('not_found', 'this pairing code is unknown, used or expired: ask for a new one');
  }
  const ws = workspaceOf(deps, invite.wsId);
  if (invite.memberId && !Object.hasOwn(ws.members, invite.memberId)) {
    deps.store.commit({ op: 'invite.consume', codeHash });
    throw new DomainError('not_found', 'this pairing code is unknown, used or expired: ask for a new one');
  }
  // Consume first, synchronously: a second request with the same code now finds nothing.
  deps.store.commit({ op: 'invite.consume', codeHash });
  let member = invite.memberId ? ws.members[invite.memberId] : undefined;
  if (!member) {
    member = { id: deps.ids.id('mem'), name: invite.name ?? defaultName(invite.role, ws.members), ...(invite.email ? { email: invite.email } : {}), role: invite.role as Role, createdAt: iso(now) };
    deps.store.commit({ op: 'member.add', wsId: invite.wsId, member });
  }
  const token = deps.ids.token();
  await deps.store.commit({
    op: 'token.add',
    tokenHash: hashSecret(token),
    token: { wsId: invite.wsId, memberId: member.id, ...(deviceName ? { deviceName } : {}), createdAt: iso(now) },
  }).durable;
  return { token, workspace: { id: ws.settings.id, name: ws.settings.name }, member: { id: member.id, name: member.name, role: member.role } };
}

function defaultName(role: string, members: Record<string, unknown>): string {
  return `${role[0].toUpperCase()}${role.slice(1)} ${Object.keys(members).length + 1}`;
}

export async function revokeToken(deps: DomainDeps, auth: Auth) {
  await deps.store.commit({ op: 'token.revoke', tokenHashes: [auth.tokenHash] }).durable;
  deps.hub.disconnect(auth.wsId, (c) => c.tokenHash === auth.tokenHash);
}

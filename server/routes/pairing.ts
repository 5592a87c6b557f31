// Pairing, identity and invites (API.md "Pairing", fixed).
import * as z from 'zod/mini';
import { inviteBodySchema, newWorkspaceBodySchema, pairBodySchema } from '../../shared/schemas/auth';
import { defineRoute, type RouteDef } from '../http/route';
import type { RateLimiter } from '../http/rate-limit';
import { DomainError } from '../domain/errors';
import { workspaceOf, type DomainDeps } from '../domain/deps';
import { createInvite, pair, revokeToken } from '../domain/pairing';
import { createWorkspace } from '../domain/workspaces';

const inviteReply = z.object({ code: z.string(), expiresAt: z.string() });
const identity = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), role: z.string() }),
});

export function pairingRoutes(deps: DomainDeps, failedPairs: RateLimiter): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/pair', tag: 'pairing', access: 'public',
      summary: 'Trade a single-use pairing code for a bearer token',
      body: pairBodySchema, response: z.extend(identity, { token: z.string() }),
      handler: async ({ body, req }) => {
        // Codes are short enough to guess at scale: throttle failed attempts per client address.
        const key = req.ip ?? 'unknown';
        const wait = failedPairs.check(key);
        if (wait !== null) throw new DomainError('rate_limited', 'too many failed pairing attempts; wait and try again', { retryAfterSeconds: wait });
        try {
          return await pair(deps, body.code, body.deviceName);
        } catch (e) {
          failedPairs.take(key);
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/me', tag: 'pairing', access: 'member',
      summary: 'Who this token is: its workspace and member', response: identity,
      handler: ({ auth }) => {
        const ws = workspaceOf(deps, auth.wsId);
        const m = ws.members[auth.memberId];
        return { workspace: { id: ws.settings.id, name: ws.settings.name }, member: { id: m.id, name: m.name, role: m.role } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/me/token', tag: 'pairing', access: 'member', status: 204,
      summary: 'Unpair this device: revoke the token used for this request',
      handler: ({ auth }) => revokeToken(deps, auth),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/workspaces/:ws/invites', tag: 'pairing', access: 'member', status: 201,
      summary: 'Create a pairing code (leads and owners; anyone for another device of their own)',
      body: inviteBodySchema, response: inviteReply,
      handler: ({ body, auth }) => createInvite(deps, auth.wsId, body, auth),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/workspaces', tag: 'workspaces', access: 'owner', status: 201,
      summary: 'Create another workspace; replies with an owner pairing code for it',
      body: newWorkspaceBodySchema,
      handler: async ({ body }) => {
        const { workspace, invite } = await createWorkspace(deps, body.name);
        return { workspace: { id: workspace.id, name: workspace.name }, ...invite };
      },
    }),
  ];
}

// Members: list, change role or name, remove, revoke devices.
import { memberPatchSchema } from '../../shared/schemas/workspace';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { listMembers, patchMember, removeMember, revokeMemberTokens } from '../domain/members';

export function memberRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/members', tag: 'members', access: 'member',
      summary: 'Members with their roles and number of paired devices (emails for leads and owners)',
      handler: ({ auth }) => listMembers(deps, auth),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/workspaces/:ws/members/:memberId', tag: 'members', access: 'member',
      summary: 'Rename a member or change a role (never above your own; the last owner stays)',
      body: memberPatchSchema,
      handler: ({ auth, body, params }) => patchMember(deps, auth, params.memberId, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/workspaces/:ws/members/:memberId', tag: 'members', access: 'lead', status: 204,
      summary: 'Remove a member and revoke all their devices',
      handler: ({ auth, params }) => removeMember(deps, auth, params.memberId),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/workspaces/:ws/members/:memberId/revoke-tokens', tag: 'members', access: 'member',
      summary: "Revoke every device token of a member (yourself, or someone below you)",
      handler: ({ auth, params }) => revokeMemberTokens(deps, auth, params.memberId),
    }),
  ];
}

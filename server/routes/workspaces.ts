// Workspace settings (API.md "Workspace settings", fixed).
import { workspacePatchSchema } from '../../shared/schemas/workspace';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { patchWorkspace, workspaceView } from '../domain/workspaces';

export function workspaceRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws', tag: 'workspaces', access: 'member',
      summary: 'Workspace settings and the allowances they give',
      handler: ({ auth }) => workspaceView(deps, auth.wsId),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/workspaces/:ws', tag: 'workspaces', access: 'lead',
      summary: 'Change name, billing model, plan, limits, cycle anchor, time zone or member caps',
      body: workspacePatchSchema,
      handler: ({ auth, body }) => patchWorkspace(deps, auth, body),
    }),
  ];
}

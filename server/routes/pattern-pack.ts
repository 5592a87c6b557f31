// The pattern pack: GET for every member's extension, PUT/DELETE for leads (see domain/pattern-pack.ts).
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { patternPackSchema } from '../../shared/readers/pack';
import { currentPack, installPack, resetPack } from '../domain/pattern-pack';

export function patternPackRoutes(deps: DomainDeps): RouteDef[] {
  const path = '/api/v1/workspaces/:ws/pattern-pack';
  return [
    defineRoute({ method: 'get', path, tag: 'readings', access: 'member', summary: 'How extensions read balances off Base44 pages (versioned)', handler: ({ auth }) => currentPack(deps, auth.wsId) }),
    defineRoute({
      method: 'put', path, tag: 'readings', access: 'lead', summary: 'Install a newer pattern pack (its version must go up)',
      body: patternPackSchema, handler: ({ auth, body }) => installPack(deps, auth, body),
    }),
    defineRoute({ method: 'delete', path, tag: 'readings', access: 'lead', status: 204, summary: 'Back to the default pack', handler: ({ auth }) => resetPack(deps, auth) }),
  ];
}

// Balance and usage breakdown (API.md, fixed).
import { balanceReplySchema } from '../../shared/schemas/balance';
import { usageQuerySchema } from '../../shared/schemas/queries';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { balance, usage } from '../domain/ledger-view';

export function balanceRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/balance', tag: 'balance', access: 'member',
      summary: 'Every pool: limit, used, remaining, exact or estimated, cycle and forecast',
      response: balanceReplySchema,
      handler: ({ auth }) => balance(deps, auth.wsId),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/usage', tag: 'usage', access: 'member',
      summary: 'Credits and calls grouped by app, member, action, context or day (default: this cycle)',
      query: usageQuerySchema,
      handler: ({ auth, query }) => usage(deps, auth.wsId, query),
    }),
  ];
}

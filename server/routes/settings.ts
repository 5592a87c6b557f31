// Apps, grants (top-ups, bonus credits) and the price table.
import { appPutSchema, pricePatchSchema } from '../../shared/schemas/workspace';
import { grantBodySchema } from '../../shared/schemas/grants';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { addGrant, listApps, listGrants, patchPrices, priceTable, putApp, removeGrant } from '../domain/settings';

export function settingsRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/apps', tag: 'apps', access: 'member',
      summary: 'Apps seen in usage or configured', handler: ({ auth }) => listApps(deps, auth.wsId),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/workspaces/:ws/apps/:appId', tag: 'apps', access: 'lead',
      summary: 'Name an app, set its owner (seat model), budget or custom email domain',
      body: appPutSchema,
      handler: ({ auth, body, params }) => putApp(deps, auth, params.appId, body),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/grants', tag: 'grants', access: 'member',
      summary: 'Top-ups and bonus credits', handler: ({ auth }) => listGrants(deps, auth.wsId),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/workspaces/:ws/grants', tag: 'grants', access: 'lead', status: 201,
      summary: 'Record a top-up or bonus credits (expire one year after purchase unless stated)',
      body: grantBodySchema,
      handler: ({ auth, body }) => addGrant(deps, auth, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/workspaces/:ws/grants/:grantId', tag: 'grants', access: 'lead', status: 204,
      summary: 'Remove a grant recorded by mistake',
      handler: ({ auth, params }) => removeGrant(deps, auth, params.grantId),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/prices', tag: 'prices', access: 'member',
      summary: 'The price table: estimated credits per action, defaults merged with overrides',
      handler: ({ auth }) => priceTable(deps, auth.wsId),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/workspaces/:ws/prices', tag: 'prices', access: 'lead',
      summary: 'Override prices (null removes an override)',
      body: pricePatchSchema,
      handler: ({ auth, body }) => patchPrices(deps, auth, body.prices),
    }),
  ];
}

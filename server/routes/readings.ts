// Readings: balances seen elsewhere (API.md, fixed).
import { readingBodySchema } from '../../shared/schemas/readings';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { addReading, listReadings } from '../domain/readings';

export function readingRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/workspaces/:ws/readings', tag: 'balance', access: 'collaborator', status: 201,
      summary: 'Record a balance seen in the page, the Monitoring API or stated by a lead',
      body: readingBodySchema,
      handler: ({ auth, body }) => addReading(deps, auth, body),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/readings', tag: 'balance', access: 'member',
      summary: 'The latest 500 readings, newest first',
      handler: ({ auth }) => listReadings(deps, auth.wsId),
    }),
  ];
}

// Operations (API.md, fixed): health, Prometheus metrics, the OpenAPI document.
import * as z from 'zod/mini';
import { defineRoute, type RouteDef } from '../http/route';
import type { Metrics } from '../metrics';

export function opsRoutes(metrics: Metrics, openapi: () => unknown): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/healthz', tag: 'operations', access: 'public', summary: 'Liveness',
      response: z.object({ ok: z.boolean() }), handler: () => ({ ok: true }),
    }),
    defineRoute({
      method: 'get', path: '/metrics', tag: 'operations', access: 'owner', summary: 'Prometheus metrics (an owner token; counts span every workspace on this server)', produces: 'text/plain',
      handler: async ({ res }) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    }),
    defineRoute({
      method: 'get', path: '/openapi.json', tag: 'operations', access: 'public', summary: 'This API as OpenAPI 3.1',
      handler: () => openapi(),
    }),
  ];
}

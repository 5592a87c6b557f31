// Usage events: ingest (API.md, fixed), list with paging, CSV export.
import { ingestBodySchema, ingestReplySchema } from '../../shared/schemas/events';
import { isCertainlyValidIngest } from '../../shared/schemas/events-fast';
import { eventsQuerySchema } from '../../shared/schemas/queries';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { ingestEvents } from '../domain/ingest';
import { eventsCsv, listEvents } from '../domain/events-query';
import type { Metrics } from '../metrics';

export function eventRoutes(deps: DomainDeps, metrics: Metrics): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/workspaces/:ws/events', tag: 'usage', access: 'collaborator',
      summary: 'Send 1–1000 usage events; idempotent on id; answers once they are durable',
      body: ingestBodySchema, bodyFastPath: isCertainlyValidIngest, keepRawBody: true, response: ingestReplySchema,
      handler: async ({ auth, body, rawBody }) => {
        const r = await ingestEvents(deps, auth, body, rawBody);
        metrics.ingested(r.accepted, r.duplicates);
        return r;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/events', tag: 'usage', access: 'member',
      summary: 'Stored events, newest first, paged by cursor; format=csv exports every match',
      query: eventsQuerySchema,
      handler: ({ auth, query, res }) => {
        if (query.format === 'csv') {
          res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="creditwatch-events-${auth.wsId}.csv"`);
          res.send(eventsCsv(deps, auth.wsId, query));
          return;
        }
        return listEvents(deps, auth.wsId, query);
      },
    }),
  ];
}

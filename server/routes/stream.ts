// The live stream (API.md, fixed): SSE with replay after Last-Event-ID.
import { streamQuerySchema } from '../../shared/schemas/queries';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { balance } from '../domain/ledger-view';
import { DomainError } from '../domain/errors';

/** An extension needs one stream; a few allow tabs and reconnect overlap. */
const MAX_STREAMS_PER_TOKEN = 5;

export function streamRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/workspaces/:ws/stream', tag: 'balance', access: 'member', tokenInQuery: true,
      summary: 'Server-Sent Events: balance, usage, alert, alert.resolved; Last-Event-ID replays what was missed',
      query: streamQuerySchema, produces: 'text/event-stream',
      handler: ({ auth, req, res }) => {
        if (deps.hub.streamsOf(auth.wsId, auth.tokenHash) >= MAX_STREAMS_PER_TOKEN) {
          throw new DomainError('rate_limited', `this device already has ${MAX_STREAMS_PER_TOKEN} open streams; close one first`, { retryAfterSeconds: 5 });
        }
        const last = req.get('Last-Event-ID') ?? undefined;
        deps.hub.attach(auth.wsId, auth, res, last, { event: 'balance', data: balance(deps, auth.wsId) });
      },
    }),
  ];
}

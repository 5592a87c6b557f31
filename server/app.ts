// createApp(deps): builds the Express app — middleware, every router, 404 and one problem+json error
// handler. It starts nothing; server/main.ts does (and tests call createApp with a temp store).
import express from 'express';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { Store } from './store/store';
import type { Logger } from './log';
import { createAuthenticator } from './http/auth';
import { createRateLimiter } from './http/rate-limit';
import { mountRoutes, type RouteDef } from './http/route';
import { errorHandler, notFoundHandler } from './http/problem';
import { buildOpenApi } from './http/openapi';
import { Hub } from './stream/hub';
import { BalanceFeed } from './stream/balance-feed';
import { createMetrics } from './metrics';
import { randomIds, type DomainDeps, type Ids } from './domain/deps';
import { balance } from './domain/ledger-view';
import { pairingRoutes } from './routes/pairing';
import { workspaceRoutes } from './routes/workspaces';
import { eventRoutes } from './routes/events';
import { readingRoutes } from './routes/readings';
import { balanceRoutes } from './routes/balance';
import { streamRoutes } from './routes/stream';
import { memberRoutes } from './routes/members';
import { settingsRoutes } from './routes/settings';
import { opsRoutes } from './routes/ops';

z.config(en());

export const VERSION = '0.1.0';

export interface AppDeps {
  store: Store;
  log: Logger;
  now?: () => number;
  ids?: Ids;
  rateLimitPerMinute?: number;
  /** Failed pairing attempts allowed per client address per minute. */
  failedPairsPerMinute?: number;
  heartbeatMs?: number;
  retentionDays?: number;
  /** Coalescing delay for live balance frames. */
  balanceDelayMs?: number;
}

export function createApp(d: AppDeps) {
  const now = d.now ?? Date.now;
  const hub = new Hub({ boot: now().toString(36), heartbeatMs: d.heartbeatMs ?? 20_000 });
  const deps: DomainDeps = {
    store: d.store, now, ids: d.ids ?? randomIds, hub, retentionDays: d.retentionDays ?? 400,
    // The feed computes balances later, through deps: the closure only runs once deps exists.
    feed: new BalanceFeed(hub, (wsId) => balance(deps, wsId), d.balanceDelayMs ?? 100),
  };
  const metrics = createMetrics({
    events: () => d.store.stats().events,
    streamClients: () => hub.clientCount(),
    journalBytes: () => d.store.stats().journalBytes,
  });

  const routes: RouteDef[] = [];
  const openapi = () => buildOpenApi(routes, VERSION);
  // Express tries routes in order: the ingest route, by far the busiest, goes first.
  routes.push(
    ...eventRoutes(deps, metrics),
    ...opsRoutes(metrics, openapi),
    ...pairingRoutes(deps, createRateLimiter(d.failedPairsPerMinute ?? 20, now)),
    ...workspaceRoutes(deps),
    ...readingRoutes(deps),
    ...balanceRoutes(deps),
    ...streamRoutes(deps),
    ...memberRoutes(deps),
    ...settingsRoutes(deps),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.on('finish', () => metrics.request(req.method, req.route?.path ?? 'unmatched', res.statusCode));
    next();
  });
  mountRoutes(app, routes, {
    authenticator: createAuthenticator(d.store.state),
    rateLimit: createRateLimiter(d.rateLimitPerMinute ?? 1200, now),
    bodyLimit: '1mb',
  });
  app.use(notFoundHandler);
  app.use(errorHandler(d.log));

  return {
    app,
    deps,
    hub,
    metrics,
    routes,
    close() {
      deps.feed.close();
      hub.close();
    },
  };
}

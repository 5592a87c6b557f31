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
import { cors } from './http/cors';
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
import { priceProposalRoutes } from './routes/price-proposals';
import { opsRoutes } from './routes/ops';
import { alertRoutes } from './routes/alerts';
import { patternPackRoutes } from './routes/pattern-pack';
import { monitoringRoutes } from './routes/monitoring';
import { MonitoringPoller, type MonitoringOptions } from './monitoring/poller';
import { AlertEngine } from './alerts/engine';
import { DEFAULT_SCHEDULE, DeliveryQueue, type Send } from './alerts/queue';
import { sendToChannel } from './channels/send';
import { deliveryMessage, leadEmails, type AlertDeps } from './domain/alerts';

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
  /** Seconds before each delivery attempt (its length is the number of attempts). */
  retrySchedule?: number[];
  /** How channels send; tests may count calls. Default: the real channel senders. */
  send?: Send;
  /** How often time-driven alert conditions are re-checked. */
  alertTickMs?: number;
  /** Base44 Monitoring API polling: fetch, request budget, timeout; tests turn the timers off and drive polls. */
  monitoring?: MonitoringOptions;
}

export function createApp(d: AppDeps) {
  const now = d.now ?? Date.now;
  const hub = new Hub({ boot: now().toString(36), heartbeatMs: d.heartbeatMs ?? 20_000 });
  const deps: DomainDeps = {
    store: d.store, now, ids: d.ids ?? randomIds, hub, retentionDays: d.retentionDays ?? 400,
      feed: { changed: (wsId) => (balanceFeed.changed(wsId), engine.changed(wsId)) },
  };
  // Both compute through deps later; the closures only run once deps exists.
  const balanceFeed = new BalanceFeed(hub, (wsId) => balance(deps, wsId), d.balanceDelayMs ?? 100);
  const queue = new DeliveryQueue({
    store: d.store, now, log: d.log, send: d.send ?? sendToChannel, schedule: d.retrySchedule ?? DEFAULT_SCHEDULE,
    message: (wsId, delivery) => deliveryMessage(deps, wsId, delivery),
    recipients: (wsId) => leadEmails(deps, wsId),
  });
  const engine = new AlertEngine(deps, queue, d.log, d.alertTickMs);
  const alertDeps: AlertDeps = { ...deps, enqueue: (wsId, deliveries) => queue.enqueue(wsId, deliveries) };
  const poller = new MonitoringPoller(deps, d.log, d.monitoring);
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
    ...priceProposalRoutes(deps),
    ...alertRoutes(alertDeps),
    ...patternPackRoutes(deps),
    ...monitoringRoutes({ ...deps, poller }),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.on('finish', () => metrics.request(req.method, req.route?.path ?? 'unmatched', res.statusCode));
    next();
  });
  app.use(cors);
  mountRoutes(app, routes, {
    authenticator: createAuthenticator(d.store.state),
    rateLimit: createRateLimiter(d.rateLimitPerMinute ?? 1200, now),
    bodyLimit: '1mb',
  });
  app.use(notFoundHandler);
  app.use(errorHandler(d.log));
  // Workspaces with a stored key resume polling on their saved schedule (timers only; nothing is awaited).
  poller.start();

  return {
    app,
    deps,
    hub,
    metrics,
    routes,
    engine,
    queue,
    /** Base44 Monitoring API polling (tests call pollDue()/pollNow()). */
    monitoring: poller,
    /** Stops timers and streams, and waits for deliveries in flight to be recorded (before the store closes). */
    async close() {
      // First: a poll finishing its bookkeeping still tells the feed, the engine and the hub.
      await poller.close();
      balanceFeed.close();
      engine.close();
      hub.close();
      await queue.close();
    },
  };
}

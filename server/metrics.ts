// Prometheus metrics (GET /metrics). prom-client does the text format and histogram buckets correctly;
// a registry per app keeps test instances apart.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics(sources: { events: () => number; streamClients: () => number; journalBytes: () => number }) {
  const registry = new Registry();
  // Requests are tallied in a plain map (a labelled prom-client inc per request showed in the ingest profile)
  // and copied into the counter when scraped.
  const tally = new Map<string, { method: string; route: string; status: number; n: number }>();
  new Counter({
    name: 'creditwatch_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry],
    collect() {
      this.reset();
      for (const t of tally.values()) this.inc({ method: t.method, route: t.route, status: t.status }, t.n);
    },
  });
  const accepted = new Counter({ name: 'creditwatch_events_accepted_total', help: 'Usage events stored', registers: [registry] });
  const duplicates = new Counter({ name: 'creditwatch_events_duplicate_total', help: 'Usage events received again and ignored', registers: [registry] });
  const flushRecords = new Histogram({ name: 'creditwatch_journal_group_records', help: 'Records per journal group commit', buckets: [1, 2, 5, 10, 20, 50, 100, 200], registers: [registry] });
  const flushSeconds = new Histogram({ name: 'creditwatch_journal_flush_seconds', help: 'Journal write + fdatasync time', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1], registers: [registry] });
  new Gauge({ name: 'creditwatch_events_stored', help: 'Usage events held', registers: [registry], collect() { this.set(sources.events()); } });
  new Gauge({ name: 'creditwatch_stream_clients', help: 'Connected SSE clients', registers: [registry], collect() { this.set(sources.streamClients()); } });
  new Gauge({ name: 'creditwatch_journal_bytes', help: 'Journal file size', registers: [registry], collect() { this.set(sources.journalBytes()); } });
  return {
    registry,
    request: (method: string, route: string, status: number) => {
      const key = `${method} ${status} ${route}`;
      const t = tally.get(key);
      if (t) t.n++;
      else tally.set(key, { method, route, status, n: 1 });
    },
    ingested: (a: number, d: number) => {
      if (a) accepted.inc(a);
      if (d) duplicates.inc(d);
    },
    flushed: (records: number, ms: number) => {
      flushRecords.observe(records);
      flushSeconds.observe(ms / 1000);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

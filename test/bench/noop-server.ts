// The bench's baseline: what an Express 5 no-op JSON route costs on this machine. Same body parser settings
// and the same path shape as the real ingest route; it parses the body and answers {accepted: n}, nothing else.
// Run as a child process by test/bench/run.ts; prints "noop listening on URL" once ready.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.post('/api/v1/workspaces/:ws/events', express.json({ limit: '1mb' }), (req, res) => {
  const events = (req.body as { events?: unknown[] } | undefined)?.events;
  res.json({ accepted: Array.isArray(events) ? events.length : 0 });
});

const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`noop listening on http://127.0.0.1:${port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

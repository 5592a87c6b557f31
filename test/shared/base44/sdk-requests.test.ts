// The classifier against the requests the real @base44/sdk (0.8.50) sends: a local HTTP server records each
// request and answers like Base44 would, and the recorded method + path go through classifyCall as if a Base44
// app (serverUrl '' = its own origin) had made them. If the SDK changes a URL shape, this test fails.
// Node 20 provides File and FormData as globals, which the SDK's multipart upload path needs; without `window`
// the SDK sends no X-Origin-URL and starts no analytics timers or sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Base44Client } from '@base44/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyCall, replyMeta, type Classified } from '../../../shared/base44';

const ID = '698fc81203f85a20f281d9dc';
const API = `/api/apps/${ID}`;
const PAGE = 'https://myapp.base44.app/';
// base44-facts.md §3, exactly.
const LIMIT_REPLY = { message: 'You have reached the limit of integrations for this month', extra_data: { reason: 'integration_credits_limit_reached' } };

interface Recorded {
  method: string;
  path: string;
  contentType: string;
  status: number;
  reply: unknown;
}

/** What Base44 answers, by path (base44-facts.md §3; connector replies as the SDK's proxyCall reads them). */
function answer(path: string): [number, unknown] {
  const routes: [string, number, unknown][] = [
    ['/integration-endpoints/Core/GenerateImage', 402, LIMIT_REPLY],
    ['/integration-endpoints/Core/InvokeLLM', 200, 'Paris is the capital of France.'],
    ['/integration-endpoints/Core/SendEmail', 200, {}],
    ['/integration-endpoints/Core/UploadFile', 200, { file_url: 'https://base44.app/api/apps/files/public/x/note.txt' }],
    ['/connectors/googlecalendar/call', 200, { success: true, phase: 'sent', status_code: 200, data: null, credits_charged: 2 }],
    ['/connectors/notion/call', 200, { success: false, phase: 'sent', status_code: 404, data: { message: 'Not found' }, credits_charged: 1 }],
    ['/connectors/slack/call', 200, { success: false, phase: 'not_sent', status_code: null, data: null }],
    ['/messages', 200, { id: 'msg_1', role: 'assistant', content: 'Hello!' }],
    ['/chat/completions', 200, { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' } }], usage: { prompt_tokens: 5, completion_tokens: 1 } }],
    ['/entities/User/me', 200, { id: 'user_1', email: 'ann@example.com' }],
    ['/entities/Todo', 200, []],
  ];
  const hit = routes.find(([suffix]) => path.endsWith(suffix));
  return hit ? [hit[1], hit[2]] : [200, { ok: true }];
}

let server: Server;
let origin: string;
let client: Base44Client;
const recorded: Recorded[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '';
  const [status, reply] = answer(new URL(path, 'http://x').pathname);
  recorded.push({ method: req.method ?? '', path, contentType: req.headers['content-type'] ?? '', status, reply });
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
}

beforeAll(async () => {
  // Drain each body before replying, so a multipart upload has fully arrived.
  server = createServer((req, res) => req.resume().on('end', () => handle(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createClient({ serverUrl: origin, appId: ID, token: 'user-token', serviceToken: 'service-token' });
});

afterAll(async () => {
  client?.cleanup();
  client?.asServiceRole.cleanup();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  recorded.length = 0;
  // The SDK logs every rejected request (NODE_ENV is not "production" under vitest); 402s are expected here.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

/** Runs one SDK call (a rejection is an outcome too) and classifies what it sent, as a page on `pageUrl` would. */
async function sent(call: (c: Base44Client) => Promise<unknown>, pageUrl = PAGE, localDev = false): Promise<[Recorded, Classified | null]> {
  await call(client).catch(() => undefined);
  expect(recorded).toHaveLength(1);
  const [r] = recorded;
  // The page sees the origin-relative path a Base44 app passes (serverUrl ''), resolved against its own origin.
  return [r, classifyCall({ url: r.path, method: r.method, status: r.status, pageUrl, reply: replyMeta(r.reply), localDev })];
}

const cc = (c: Base44Client) => c.asServiceRole.connectors;

describe('billed SDK calls', () => {
  // [name, call, method + path, expected classification]
  it.each<[string, (c: Base44Client) => Promise<unknown>, string, Partial<Classified>]>([
    ['Core.InvokeLLM', (c) => c.integrations.Core.InvokeLLM({ prompt: 'Capital of France?' }),
      `POST ${API}/integration-endpoints/Core/InvokeLLM`, { action: 'Core.InvokeLLM', outcome: 'ok', credits: null, exact: false }],
    ['Core.SendEmail', (c) => c.integrations.Core.SendEmail({ to: 'ann@example.com', subject: 'Hi', body: 'Hello' }),
      `POST ${API}/integration-endpoints/Core/SendEmail`, { action: 'Core.SendEmail', outcome: 'ok', credits: null }],
    ['Core.GenerateImage out of credits (402)', (c) => c.integrations.Core.GenerateImage({ prompt: 'a cat' }),
      `POST ${API}/integration-endpoints/Core/GenerateImage`, { action: 'Core.GenerateImage', outcome: 'out_of_credits', credits: 0, exact: true }],
    ['installable package', (c) => c.integrations.SomePackage.SomeEndpoint({ x: 1 }),
      `POST ${API}/integration-endpoints/installable/SomePackage/integration-endpoints/SomeEndpoint`, { action: 'installable:SomePackage.SomeEndpoint', outcome: 'ok', credits: null }],
    ['custom integration', (c) => c.integrations.custom.call('my-crm', 'listContacts', { queryParams: { limit: 5 } }),
      `POST ${API}/integrations/custom/my-crm/listContacts`, { action: 'custom:my-crm/listContacts', outcome: 'ok', credits: null }],
    ['connector, credits_charged 2', (c) => cc(c).callApi('googlecalendar', { path: '/calendars/primary/events', method: 'GET' }),
      `POST ${API}/connectors/googlecalendar/call`, { action: 'connector:googlecalendar', outcome: 'ok', credits: 2, exact: true }],
    ['connector, provider 404 still charged', (c) => cc(c).callApi('notion', { path: '/v1/pages/x', method: 'GET' }),
      `POST ${API}/connectors/notion/call`, { action: 'connector:notion', outcome: 'ok', credits: 1, exact: true }],
    ['connector, not_sent', (c) => cc(c).callApi('slack', { path: '/chat.postMessage', method: 'POST' }),
      `POST ${API}/connectors/slack/call`, { action: 'connector:slack', outcome: 'ok', credits: 0, exact: true }],
    ['agent message', (c) => c.agents.addMessage({ id: 'conv_1' } as Parameters<Base44Client['agents']['addMessage']>[0], { role: 'user', content: 'Hi' }),
      `POST ${API}/agents/conversations/v2/conv_1/messages`, { action: 'agent.message', outcome: 'ok', credits: null }],
    // connection() only hands out a base URL; an OpenAI-compatible client then POSTs (with fetch) below it.
    ['AI gateway', async (c) => {
      const { baseURL, token } = c.aiGateway.connection();
      const res = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }) });
      return res.json();
    }, `POST ${API}/ai/openai/v1/chat/completions`, { action: 'ai-gateway', outcome: 'ok', credits: null }],
  ])('%s', async (_, call, request, expected) => {
    const [r, c] = await sent(call);
    expect(`${r.method} ${r.path}`).toBe(request);
    expect(c).toMatchObject({ kind: 'integration', appId: ID, context: 'published', ...expected });
  });

  it('Core.UploadFile with a File is multipart and billed', async () => {
    const [r, c] = await sent((cl) => cl.integrations.Core.UploadFile({ file: new File(['hello'], 'note.txt', { type: 'text/plain' }) }));
    expect(r.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(`${r.method} ${r.path}`).toBe(`POST ${API}/integration-endpoints/Core/UploadFile`);
    expect(c).toMatchObject({ action: 'Core.UploadFile', outcome: 'ok', credits: null, exact: false });
  });

  it('the 402 reaches the app as an error carrying the limit reason', async () => {
    const err = await client.integrations.Core.GenerateImage({ prompt: 'a cat' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 402, data: LIMIT_REPLY });
    expect(replyMeta((err as { data: unknown }).data)).toEqual({ reason: 'integration_credits_limit_reached' });
  });
});

describe('base44 dev (the page is the local server)', () => {
  it.each<[string, (c: Base44Client) => Promise<unknown>, number | null]>([
    ['UploadFile is served locally for free', (c) => c.integrations.Core.UploadFile({ file: new File(['x'], 'a.txt') }), 0],
    ['InvokeLLM is proxied to production and billed', (c) => c.integrations.Core.InvokeLLM({ prompt: 'hi' }), null],
  ])('%s', async (_, call, credits) => {
    const [, c] = await sent(call, `${origin}/`, true);
    expect(c).toMatchObject({ context: 'local-dev', outcome: 'ok', credits, exact: credits !== null });
  });
});

describe('unbilled SDK calls', () => {
  it.each<[string, (c: Base44Client) => Promise<unknown>, string]>([
    ['entities list', (c) => c.entities.Todo.list(), `GET ${API}/entities/Todo`],
    ['entities create', (c) => c.entities.Todo.create({ title: 'x' }), `POST ${API}/entities/Todo`],
    ['auth me', (c) => c.auth.me(), `GET ${API}/entities/User/me`],
    ['conversation create', (c) => c.agents.createConversation({ agent_name: 'support' }), `POST ${API}/agents/conversations`],
    ['connector token', (c) => cc(c).getConnection('googlecalendar'), `GET ${API}/external-auth/tokens/googlecalendar`],
    ['function invocation', (c) => c.functions.invoke('sendReport', { x: 1 }), `POST ${API}/functions/sendReport`],
    ['app log', (c) => c.appLogs.logUserInApp('Home'), `POST /api/app-logs/${ID}/log-user-in-app/Home`],
  ])('%s', async (_, call, request) => {
    const [r, c] = await sent(call);
    expect(`${r.method} ${r.path.split('?')[0]}`).toBe(request);
    expect(c).toBeNull();
  });

  it('analytics batch', async () => {
    client.analytics.track({ eventName: 'clicked_buy' });
    await vi.waitFor(() => expect(recorded.some((r) => r.path.endsWith('/analytics/track/batch'))).toBe(true));
    for (const r of recorded) {
      expect(classifyCall({ url: r.path, method: r.method, status: r.status, pageUrl: PAGE, reply: replyMeta(r.reply) })).toBeNull();
    }
  });
});

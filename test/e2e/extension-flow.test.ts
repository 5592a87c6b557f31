/// <reference types="chrome" />
// The product end to end, as a user runs it: the real Creditwatch server (a child process), the built
// extension in real Chromium, paired from its options page, and a fake Base44 over HTTPS whose app page runs
// the real @base44/sdk. Clicks in the app must land in the ledger exactly once, with the right app, member,
// context and credits; the badge must move; nothing of the content may reach the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { DEFAULT_APP_ID, editorCredits, startFakeBase44, type FakeBase44 } from '../support/fake-base44';
import { repoRoot, spawnServer } from '../support/server';
import type { Scenarios } from './fixtures/app-page';

const OWNER = 'cw_owner_e2e_token_000000000000000000';
const CANARY = 'CANARY-7f3a9c-do-not-leak';
const OTHER_APP_ID = '0123456789abcdef01234567';
const shots = join(repoRoot, 'test/.tmp/screenshots');

let fake: FakeBase44;
let b: ExtensionBrowser;
let dir: string;
let port: number;
let server: { url: string; child: ChildProcess; output: () => string };
let logs = '';
let wsId: string;
let member: { id: string; name: string };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}
const start = async () => {
  server = await spawnServer(dir, { CREDITWATCH_PORT: String(port), CREDITWATCH_OWNER_TOKEN: OWNER, CREDITWATCH_LOG_LEVEL: 'info' });
};
const stop = async () => {
  logs += server.output();
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
};

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { authorization: `Bearer ${OWNER}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  return res.status === 204 ? null : res.json();
}
const events = async (q = '') => (await api('GET', `/api/v1/workspaces/${wsId}/events?limit=1000${q}`)).events as { id: string; action: string; appId?: string; memberId?: string; context: string; credits: number; exact: boolean; outcome: string; flowId?: string }[];
const badge = () => b.worker.evaluate(() => chrome.action.getBadgeText({}));
const badgeColour = () => b.worker.evaluate(() => chrome.action.getBadgeBackgroundColor({}));

async function openApp(url = 'https://myapp.base44.app/'): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.scenarios === 'object');
  return page;
}
const run = (page: Page, name: keyof Scenarios, ...args: unknown[]) =>
  page.evaluate(([n, a]) => (window.scenarios[n as keyof Scenarios] as (...x: unknown[]) => Promise<unknown>)(...(a as unknown[])), [name, args] as const);

async function popupShot(name: string): Promise<Page> {
  const p = await b.context.newPage();
  await p.setViewportSize({ width: 380, height: 900 });
  await p.goto(`chrome-extension://${b.extensionId}/popup.html`);
  await p.waitForTimeout(600);
  await p.screenshot({ path: join(shots, `popup-${name}.png`), fullPage: true });
  return p;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'cw-e2e-'));
  port = await freePort();
  await start();
  const me = await api('GET', '/api/v1/me');
  wsId = me.workspace.id;
  await api('PATCH', `/api/v1/workspaces/${wsId}`, { plan: 'custom', limits: { message: 100, integration: 500 } });
  const invite = await api('POST', `/api/v1/workspaces/${wsId}/invites`, { role: 'collaborator', name: 'Dana' });
  // The workspace's own app (as a lead names it in the settings); `other.base44.app` is someone else's.
  await api('PUT', `/api/v1/workspaces/${wsId}/apps/${DEFAULT_APP_ID}`, { name: 'Demo app' });
  fake = await startFakeBase44({ apps: { myapp: DEFAULT_APP_ID, other: OTHER_APP_ID } });
  b = await launchWithExtension({ args: fake.chromiumArgs });
  // Pair the way a user does: the link `npm start` prints opens the options page with server and code.
  const options = await b.context.newPage();
  await options.goto(`chrome-extension://${b.extensionId}/options.html?server=${encodeURIComponent(server.url)}&code=${invite.code}`);
  await options.getByTestId('pair-status').filter({ hasText: 'Paired with' }).waitFor({ timeout: 15_000 });
  await options.screenshot({ path: join(shots, 'options-paired.png'), fullPage: true });
  const members = (await api('GET', `/api/v1/workspaces/${wsId}/members`)).members as { id: string; name: string }[];
  member = members.find((m) => m.name === 'Dana')!;
  await options.close();
}, 120_000);

afterAll(async () => {
  await b?.close();
  await fake?.close();
  if (server) await stop().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('extension + server + Base44 app in Chromium', () => {
  it('once paired, the badge shows the integration pool from the server', async () => {
    expect(member).toBeDefined();
    await expect.poll(badge, { timeout: 10_000 }).toBe('500');
  });

  it('one click in a published app: the five calls land once each, attributed, and the badge moves', async () => {
    const page = await openApp();
    await page.fill('#canary', CANARY);
    await page.click('#all-five');
    await page.waitForSelector('#out[data-state="done"]');
    await expect.poll(async () => (await events()).length, { timeout: 15_000 }).toBe(5);
    const got = await events();
    const byAction = Object.fromEntries(got.map((e) => [e.action, e]));
    expect(Object.keys(byAction).sort()).toEqual(['Core.InvokeLLM', 'Core.SendEmail', 'Core.UploadFile', 'agent.message', 'connector:googlemaps']);
    for (const e of got) expect(e).toMatchObject({ appId: DEFAULT_APP_ID, memberId: member.id, context: 'published', outcome: 'ok' });
    expect(byAction['connector:googlemaps']).toMatchObject({ credits: 2, exact: true });
    expect(byAction['agent.message']).toMatchObject({ credits: 3, exact: false });
    expect(byAction['Core.InvokeLLM']).toMatchObject({ credits: 1, exact: false });
    expect(new Set(got.map((e) => e.flowId)).size).toBe(1); // one click, one flow
    await expect.poll(badge, { timeout: 10_000 }).toBe('492');
    const popup = await popupShot('live');
    await popup.close();
    await page.close();
  });

  it("calls in someone else's published app are not counted against this workspace", async () => {
    const before = (await events()).length;
    const page = await openApp('https://other.base44.app/');
    await run(page, 'invokeLLM', CANARY);
    await run(page, 'sendEmail', CANARY);
    await page.waitForTimeout(1500);
    expect((await events()).length).toBe(before);
    expect(await badge()).toBe('492');
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByText('outside this workspace not counted').waitFor({ timeout: 10_000 });
    await popup.close();
    await page.close();
  });

  it('the same flow in the editor preview iframe is counted once', async () => {
    const before = (await events()).length;
    const page = await b.context.newPage();
    await page.goto(`https://app.base44.com/apps/${DEFAULT_APP_ID}/editor/preview`);
    const frame = page.frameLocator('#preview');
    await frame.locator('#canary').fill(CANARY);
    await frame.locator('#all-five').click();
    await frame.locator('#out[data-state="done"]').waitFor();
    await expect.poll(async () => (await events()).length, { timeout: 15_000 }).toBe(before + 5);
    // The editor's witness messages are held 10 s for a direct report; wait past that to prove none is added.
    await page.waitForTimeout(12_000);
    const got = (await events()).slice(0, 5);
    expect((await events()).length).toBe(before + 5);
    for (const e of got) expect(e).toMatchObject({ context: 'preview', appId: DEFAULT_APP_ID });
    await page.close();
  });

  it('calls made while the server is down all arrive exactly once after it returns', async () => {
    const before = (await events()).length;
    await stop();
    const page = await openApp();
    const results = (await run(page, 'loop', CANARY, 200)) as unknown[];
    expect(results).toHaveLength(200);
    await page.waitForTimeout(1500);
    await popupShot('unreachable').then((p) => p.close());
    await start();
    await expect.poll(async () => (await events()).length, { timeout: 60_000, interval: 1000 }).toBe(before + 200);
    const got = await events();
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    // The stream is back too, and the server's own balance (500 − 2 × 8 − 200) is what the extension holds.
    const stored = () => b.worker.evaluate(async () => {
      const { connection, balance } = await chrome.storage.local.get(['connection', 'balance']);
      return { state: (connection as { state: string }).state, remaining: (balance as { pools: { kind: string; remaining: number }[] }).pools.find((p) => p.kind === 'integration')?.remaining };
    });
    await expect.poll(stored, { timeout: 20_000 }).toEqual({ state: 'live', remaining: 284 });
    await expect.poll(badge, { timeout: 10_000 }).toBe('284');
    await page.close();
  });

  it('a 402 shows the out-of-credits state', async () => {
    fake.outOfCredits = true;
    const page = await openApp();
    await run(page, 'invokeLLM', CANARY);
    await expect.poll(async () => (await events('&action=Core.InvokeLLM'))[0]?.outcome, { timeout: 15_000 }).toBe('out_of_credits');
    await expect.poll(badge, { timeout: 10_000 }).toBe('0');
    expect(await badgeColour()).toEqual([217, 48, 37, 255]);
    const popup = await popupShot('out-of-credits');
    await popup.close();
    fake.outOfCredits = false;
    await page.close();
  });

  it('an alert the server pushes becomes a desktop notification, and acknowledging it reaches the server', async () => {
    // ~216 of 500 used so far; a 240 limit puts the pool past the 80% default rule.
    await api('PATCH', `/api/v1/workspaces/${wsId}`, { limits: { message: 100, integration: 240 } });
    const ids = () => b.worker.evaluate(() => new Promise<string[]>((r) => chrome.notifications.getAll((n) => r(Object.keys(n)))));
    await expect.poll(ids, { timeout: 20_000 }).not.toEqual([]);
    const [alertId] = await ids();
    const alerts = (await api('GET', `/api/v1/workspaces/${wsId}/alerts`)).alerts as { id: string; title: string; acks: { memberId: string }[] }[];
    expect(alerts.map((a) => a.id)).toContain(alertId);
    // The popup lists it; its Acknowledge button is how a member answers it.
    const popup = await b.context.newPage();
    await popup.setViewportSize({ width: 380, height: 900 });
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    const row = popup.getByTestId('alerts').locator('li').first();
    await row.waitFor({ timeout: 10_000 });
    await popup.screenshot({ path: join(shots, 'popup-alert.png'), fullPage: true });
    // Several may be open (the forecast rule and a threshold rule); acknowledge each, as a member would.
    const titles = () => popup.getByTestId('alerts').locator('li strong').allTextContents();
    for (let i = 0; i < 8 && (await titles()).length; i++) {
      const [title] = await titles();
      await popup.getByTestId('alerts').locator('li').first().getByRole('button', { name: 'Acknowledge' }).click();
      await expect.poll(titles, { timeout: 10_000 }).not.toContain(title);
    }
    expect(await popup.getByTestId('alerts').count()).toBe(0);
    const acked = (await api('GET', `/api/v1/workspaces/${wsId}/alerts`)).alerts.find((a: { id: string }) => a.id === alertId);
    expect(acked.acks.map((a: { memberId: string }) => a.memberId)).toContain(member.id);
    await expect.poll(ids).not.toContain(alertId);
    await popup.close();
  });

  it('the editor credit panel: readings are recorded, a prompt becomes a builder.prompt event, the balance is exact', async () => {
    const page = await b.context.newPage();
    await page.goto(`https://app.base44.com/apps/${DEFAULT_APP_ID}/editor/preview`);
    await page.bringToFront();
    const readings = async () => (await api('GET', `/api/v1/workspaces/${wsId}/readings`)).readings as { pool: string; remaining: number; source: string; memberId: string; exact: boolean }[];
    await expect.poll(async () => (await readings()).some((r) => r.pool === 'message' && r.remaining === editorCredits.message), { timeout: 15_000 }).toBe(true);
    await page.click('#prompt');
    await expect.poll(async () => (await events('&action=builder.prompt'))[0], { timeout: 15_000 }).toMatchObject({
      kind: 'message', credits: editorCredits.promptCost, exact: true, appId: DEFAULT_APP_ID, memberId: member.id, context: 'editor',
    });
    await expect.poll(async () => (await readings()).find((r) => r.remaining === editorCredits.message - editorCredits.promptCost), { timeout: 15_000 }).toMatchObject({ pool: 'message', source: 'page', memberId: member.id, exact: true });
    // No double count: the prompt was observed before the reading arrived, so nothing is unobserved.
    expect(await events('&action=unobserved')).toEqual([]);
    const bal = (await api('GET', `/api/v1/workspaces/${wsId}/balance`)).pools.find((p: { kind: string }) => p.kind === 'message');
    expect(bal).toMatchObject({ remaining: editorCredits.message - editorCredits.promptCost, exact: true });
    await expect.poll(badge, { timeout: 10_000 }).toBe('11');
    const popup = await popupShot('editor-reading');
    await expect.poll(() => popup.getByTestId('pool-message').textContent()).toMatch(/11[\s\S]*exact|exact[\s\S]*11/);
    await expect.poll(() => popup.getByTestId('last-prompts').textContent()).toContain('Last prompts: 1.5');
    await popup.close();
    await page.close();
  });

  it('no canary from prompts, emails or files reaches the server’s store or logs (it did reach Base44)', async () => {
    expect(fake.received(CANARY)).toBe(true);
    await stop();
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f).includes(CANARY), f).toBe(false);
    expect(logs).not.toContain(CANARY);
    expect(logs.length).toBeGreaterThan(0);
    await start();
  });
});

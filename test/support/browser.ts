// Real Chromium (Debian's, via playwright-core) with the built extension loaded. Missing Chromium is a
// failure with instructions, never a skip.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { repoRoot } from './server';

export const extensionDir = join(repoRoot, '.output/chrome-mv3');

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(
      `Chromium not found at ${p}. Browser tests need Debian's Chromium: run "sudo apt-get update && sudo apt-get install -y chromium", ` +
        'or set CHROMIUM_PATH to a Chromium binary (branded Chrome ignores --load-extension).',
    );
  }
  return p;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/**
 * Chromium with the built extension; with `withoutExtension`, the same browser launched the same way
 * (persistent profile, same flags) without it — the fair baseline for with/without comparisons (then there
 * is no worker and no extension id). `args`: extra flags, e.g. the fake Base44's `chromiumArgs`.
 */
export async function launchWithExtension(opts: { hostRules?: string; args?: string[]; withoutExtension?: boolean } = {}): Promise<ExtensionBrowser> {
  const withExtension = !opts.withoutExtension;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`no built extension in ${extensionDir}: run "npx wxt build" (npm test does)`);
  const userDir = mkdtempSync(join(tmpdir(), 'cw-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: chromiumPath(),
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      ...(withExtension ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--ignore-certificate-errors',
      ...(opts.hostRules ? [`--host-resolver-rules=${opts.hostRules}`] : []),
      ...(opts.args ?? []),
    ],
  });
  const worker = withExtension ? (context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }))) : undefined;
  return {
    context,
    worker: worker as Worker,
    extensionId: worker ? new URL(worker.url()).host : '',
    async close() {
      await context.close();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

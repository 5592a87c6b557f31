/// <reference types="chrome" />
// The built extension in real Chromium: the service worker starts, the popup and options pages render.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { repoRoot } from '../support/server';

let b: ExtensionBrowser;
beforeAll(async () => {
  b = await launchWithExtension();
});
afterAll(() => b?.close());

describe('built extension in Chromium', () => {
  it('registers its MV3 service worker', async () => {
    expect(b.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await b.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest).toMatchObject({ manifest_version: 3, name: 'Creditwatch for Base44' });
  });

  it('renders the popup and the options page', async () => {
    const shots = join(repoRoot, 'test/.tmp/screenshots');
    mkdirSync(shots, { recursive: true });
    for (const page of ['popup', 'options']) {
      const p = await b.context.newPage();
      await p.goto(`chrome-extension://${b.extensionId}/${page}.html`);
      await expect.poll(() => p.getByTestId('not-paired').textContent()).toContain('Not paired');
      await p.screenshot({ path: join(shots, `${page}-not-paired.png`) });
      await p.close();
    }
  });
});

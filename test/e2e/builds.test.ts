// The extension builds for Firefox too (MV3: MV2 ignores main-world scripts), with what Firefox requires.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { repoRoot } from '../support/server';
import { launchWithExtension } from '../support/browser';
import { CHROME_EXTENSION_ID } from '../../shared/extension-id';

describe('browser builds', () => {
  it('Firefox MV3: gecko id, the main-world hook, the same permissions', () => {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/wxt/bin/wxt.mjs'), 'build', '-b', 'firefox', '--mv3'], { cwd: repoRoot, stdio: 'pipe' });
    const m = JSON.parse(readFileSync(join(repoRoot, '.output/firefox-mv3/manifest.json'), 'utf8'));
    expect(m.manifest_version).toBe(3);
    expect(m.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(m.permissions.sort()).toEqual(['alarms', 'notifications', 'scripting', 'storage']);
    expect(m.content_scripts).toEqual(expect.arrayContaining([expect.objectContaining({ world: 'MAIN', run_at: 'document_start', all_frames: true })]));
  });

  it('Chrome MV3: only the permissions it needs', () => {
    const m = JSON.parse(readFileSync(join(repoRoot, '.output/chrome-mv3/manifest.json'), 'utf8'));
    expect(m.permissions.sort()).toEqual(['alarms', 'notifications', 'scripting', 'storage']);
    expect(m.host_permissions.sort()).toEqual(['https://*.base44.app/*', 'https://app.base44.com/*']);
    expect(m.browser_specific_settings).toBeUndefined();
  });

  it('Chrome: the manifest key pins the id of the server’s pairing link', async () => {
    const m = JSON.parse(readFileSync(join(repoRoot, '.output/chrome-mv3/manifest.json'), 'utf8'));
    const hex = createHash('sha256').update(Buffer.from(m.key, 'base64')).digest('hex').slice(0, 32);
    const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
    expect(id).toBe(CHROME_EXTENSION_ID);
    const b = await launchWithExtension();
    try {
      expect(b.extensionId).toBe(CHROME_EXTENSION_ID);
    } finally {
      await b.close();
    }
  });
});

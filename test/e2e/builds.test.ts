// The extension builds for Firefox too (MV3: MV2 ignores main-world scripts), with what Firefox requires.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server';

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
});

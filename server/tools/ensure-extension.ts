// `npm start` runs this first: builds the extension when .output/chrome-mv3 is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = process.cwd();
const manifest = join(root, '.output/chrome-mv3/manifest.json');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(join(root, 'extension')), newest(join(root, 'shared')), statSync(join(root, 'wxt.config.ts')).mtimeMs);
if (existsSync(manifest) && statSync(manifest).mtimeMs >= sources) {
  process.stdout.write('extension is up to date (.output/chrome-mv3)\n');
} else {
  process.stdout.write('building the extension…\n');
  const r = spawnSync(join(root, 'node_modules/.bin/wxt'), ['build'], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('creditwatch: the extension did not build; the server starts anyway (see the errors above)\n');
  }
}

// House rules, enforced: shared/ stays pure, one module owns lowdb, one reads the environment, every route
// parses its input with a schema from shared/, entrypoints only wire.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as schemas from '../../shared/schemas';
import { startTestServer, repoRoot } from '../support/server';

function files(dir: string, ext = /\.(ts|tsx)$/): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}
const rel = (p: string) => relative(repoRoot, p);
const src = (p: string) => readFileSync(p, 'utf8');

describe('conventions', () => {
  it('shared/ imports no I/O or framework and reads no clock or randomness', () => {
    const bad: string[] = [];
    for (const f of files(join(repoRoot, 'shared'))) {
      const s = src(f);
      if (/from ['"](node:|fs|path|express|lowdb|wxt|http|crypto)/.test(s)) bad.push(`${rel(f)}: I/O import`);
      if (/Date\.now\(\)|new Date\(\)|Math\.random\(|process\.env/.test(s)) bad.push(`${rel(f)}: clock, randomness or env`);
    }
    expect(bad).toEqual([]);
  });

  it('only server/store imports lowdb, only server/config.ts reads process.env, and nothing uses JSONFilePreset', () => {
    const bad: string[] = [];
    for (const f of files(join(repoRoot, 'server'))) {
      const s = src(f);
      if (/from ['"]lowdb/.test(s) && !rel(f).startsWith('server/store/')) bad.push(`${rel(f)} imports lowdb`);
      if (/process\.env/.test(s) && rel(f) !== 'server/config.ts') bad.push(`${rel(f)} reads process.env`);
      if (/JSONFilePreset/.test(s)) bad.push(`${rel(f)} uses JSONFilePreset (memory-only under NODE_ENV=test)`);
    }
    expect(bad).toEqual([]);
  });

  it('every route body and query is parsed with a schema exported from shared/schemas', async () => {
    const shared = new Set<unknown>(Object.values(schemas));
    const s = await startTestServer();
    try {
      const bad = s.built.routes.flatMap((r) => [
        ...(r.body && !shared.has(r.body) ? [`${r.method} ${r.path}: body`] : []),
        ...(r.query && !shared.has(r.query) ? [`${r.method} ${r.path}: query`] : []),
        ...(['post', 'put', 'patch'].includes(r.method) && !r.body && !/(revoke-tokens|\/test|\/poll)$/.test(r.path) ? [`${r.method} ${r.path}: no body schema`] : []),
      ]);
      expect(bad).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('extension entrypoints only wire (at most ~40 lines) and never touch browser.* at module top level', () => {
    const bad: string[] = [];
    for (const f of files(join(repoRoot, 'extension/entrypoints'))) {
      const lines = src(f).split('\n');
      if (lines.length > 45) bad.push(`${rel(f)}: ${lines.length} lines`);
      if (lines.some((l) => /^(browser|chrome)\./.test(l))) bad.push(`${rel(f)}: browser.* at top level`);
    }
    expect(bad).toEqual([]);
  });
});

// Everything in shared/ runs in the server, the extension's worker and pages, and the page hook: no I/O, no
// clock, no randomness, no server or browser-extension libraries (ARCHITECTURE.md). Every file, recursively.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../shared/', import.meta.url));
const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.ts') ? [join(d, f)] : []));
const files = walk(root).map((f) => relative(root, f));

describe('shared/ is pure', () => {
  it.each(files)('%s', (file) => {
    const src = readFileSync(join(root, file), 'utf8');
    const imports = [...src.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) expect(spec.startsWith('.') || spec === 'zod/mini' || spec === 'zod/locales', `${file} imports ${spec}`).toBe(true);
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|process\.env|require\(|crypto\.random/);
    expect(src.startsWith('//'), `${file} starts with a header comment`).toBe(true);
  });

  it('the page hook bundles no zod (it loads into every Base44 page)', () => {
    for (const f of ['base44/classify.ts', 'base44/reply-meta.ts', 'base44/repeats.ts', 'hook-event.ts', 'schemas/reserved.ts']) {
      expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(/from 'zod/);
    }
  });
});

// The ledger runs in the server and the extension: it must stay free of I/O, clocks and randomness.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../shared/ledger/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('shared/ledger is pure', () => {
  it('has modules', () => expect(files.length).toBeGreaterThan(8));

  it.each(files)('%s', (file) => {
    const src = readFileSync(dir + file, 'utf8');
    const imports = [...src.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) expect(spec === 'zod/mini' || spec.startsWith('./') || spec.startsWith('../schemas/'), `${file} imports ${spec}`).toBe(true);
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|process\.|require\(/);
    expect(src.startsWith('//'), `${file} starts with a header comment`).toBe(true);
  });
});

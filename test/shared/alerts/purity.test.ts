// Alert evaluation runs in the server and may run in the extension: it must stay free of I/O, clocks and randomness.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../shared/alerts/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('shared/alerts is pure', () => {
  it('has modules', () => expect(files.length).toBeGreaterThan(8));

  it.each(files)('%s', (file) => {
    const src = readFileSync(dir + file, 'utf8');
    const imports = [...src.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) {
      expect(spec.startsWith('./') || spec.startsWith('../schemas/') || spec.startsWith('../ledger/'), `${file} imports ${spec}`).toBe(true);
    }
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|process\.|require\(|import\(/);
    expect(src.startsWith('//'), `${file} starts with a header comment`).toBe(true);
  });
});

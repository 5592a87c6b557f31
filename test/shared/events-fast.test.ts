// The ingest fast path may only accept what the schema accepts (soundness), and should accept the ordinary
// bodies the extension sends (or it saves nothing). Tables of edge cases plus seeded random mutations.
import { describe, expect, it } from 'vitest';
import { ingestBodySchema, isCertainlyValidIngest } from '../../shared/schemas';

const valid = () => ({
  id: 'evt_0123456789', at: '2026-11-10T12:00:00.000Z', kind: 'integration', credits: 1, exact: false,
  action: 'Core.InvokeLLM', appId: '698fc81203f85a20f281d9dc', context: 'preview', outcome: 'ok',
});
const body = (over: Record<string, unknown> = {}, drop?: string) => {
  const e: Record<string, unknown> = { ...valid(), ...over };
  if (drop) delete e[drop];
  return { events: [e] };
};

describe('ingest fast path', () => {
  it.each([
    ['a plain event', body()],
    ['seconds without millis', body({ at: '2026-11-10T12:00:00Z' })],
    ['all optional fields', body({ flowId: 'flow_0123456', memberId: 'mem_abc' })],
    ['no appId', body({}, 'appId')],
    ['fractional credits', body({ credits: 0.3 })],
    ['1000 events', { events: Array.from({ length: 1000 }, (_, i) => ({ ...valid(), id: `evt_${String(i).padStart(8, '0')}` })) }],
  ])('accepts %s (and so does the schema)', (_n, b) => {
    expect(isCertainlyValidIngest(b)).toBe(true);
    expect(ingestBodySchema.safeParse(b).success).toBe(true);
  });

  it.each([
    ['an unknown field', body({ prompt: 'x' })],
    ['a short id', body({ id: 'abc' })],
    ['a bad kind', body({ kind: 'sms' })],
    ['negative credits', body({ credits: -1 })],
    ['NaN-like credits', body({ credits: '1' })],
    ['huge credits', body({ credits: 100001 })],
    ['a non-existent date', body({ at: '2026-02-30T12:00:00.000Z' })],
    ['hour 24', body({ at: '2026-11-10T24:00:00Z' })],
    ['an offset (left to zod)', body({ at: '2026-11-10T13:00:00+01:00' })],
    ['a missing outcome', body({}, 'outcome')],
    ['an extra top-level key', { ...body(), x: 1 }],
    ['no events', { events: [] }],
    ['1001 events', { events: Array.from({ length: 1001 }, valid) }],
    ['an array body', [valid()]],
    ['null', null],
  ])('leaves %s to the schema', (_n, b) => {
    expect(isCertainlyValidIngest(b)).toBe(false);
  });

  it('never accepts what the schema rejects (random mutations, seeded)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const fields = [...Object.keys(valid()), 'flowId', 'memberId', 'extra'];
    const values: unknown[] = [
      '', 'a', 'evt_0123456789', 'x'.repeat(65), 'Core.InvokeLLM', 'ok', 'message', 'integration', 'preview', 'failed',
      'out_of_credits', 'unknown', 'a b c d e f g', '2026-11-10T12:00:00Z', '2026-13-10T12:00:00Z', '2026-11-31T12:00:00.000Z',
      '2024-02-29T00:00:00.000Z', '2025-02-29T00:00:00.000Z', '2026-11-10T12:00:00.0000Z', 0, -0.1, 0.3, 1, 100000, 100000.5,
      Infinity, NaN, true, false, null, undefined, {}, [], 'mem_a:b.c', '@+/:.', 'é', '__proto__', 'constructor', 'toString',
    ];
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      const e: Record<string, unknown> = valid();
      for (let m = 0, n = 1 + Math.floor(rnd() * 3); m < n; m++) {
        const f = pick(fields);
        const v = pick(values);
        if (v === undefined) delete e[f];
        else e[f] = v;
      }
      const b = { events: [valid(), e] };
      if (isCertainlyValidIngest(b)) {
        accepted++;
        expect(ingestBodySchema.safeParse(b).success, JSON.stringify(e)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('ingest fast path dates', () => {
  it.each([
    ['2024-02-29T00:00:00.000Z', true], ['2025-02-29T00:00:00.000Z', false], ['2000-02-29T00:00:00Z', true], ['1900-02-29T00:00:00Z', false],
    ['2026-04-31T00:00:00Z', false], ['2026-12-31T23:59:59.999Z', true], ['2026-00-10T00:00:00Z', false], ['2026-11-00T00:00:00Z', false],
    ['2026-11-10T23:60:00Z', false], ['2026-11-10T23:00:60Z', false],
  ])('%s → %s, like the schema', (at, ok) => {
    const b = { events: [{ id: 'evt_0123456789', at, kind: 'message', credits: 1, exact: true, action: 'x', context: 'editor', outcome: 'ok' }] };
    expect(isCertainlyValidIngest(b)).toBe(ok);
    if (ok) expect(ingestBodySchema.safeParse(b).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { usageEventSchema } from '../../shared/schemas';

describe('schemas', () => {
  it('rejects unknown fields', () => {
    const r = usageEventSchema.safeParse({ id: 'abcdefgh', at: '2026-01-01T00:00:00Z', kind: 'message', credits: 1, exact: true, action: 'x', context: 'preview', outcome: 'ok', extra: 1 });
    expect(r.success).toBe(false);
  });
});

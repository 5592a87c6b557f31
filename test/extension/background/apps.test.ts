// Only this workspace's apps count: published calls in unknown apps are held until the app becomes known.
import { describe, expect, it } from 'vitest';
import { appsProvenBy, partitionByApp } from '../../../extension/background/apps';
import type { UsageEvent } from '../../../shared/schemas/events';

const ev = (id: string, appId: string, context: UsageEvent['context']): UsageEvent => ({
  id: `evt_${id}_000000`, at: '2026-11-24T10:00:00Z', kind: 'integration', credits: 1, exact: false, action: 'Core.InvokeLLM', appId, context, outcome: 'ok',
});

describe('workspace apps', () => {
  it('editor, preview and local dev prove the member works on the app; published pages do not', () => {
    expect(appsProvenBy([ev('1', 'a1', 'preview'), ev('2', 'a2', 'published'), ev('3', 'a3', 'editor'), ev('4', 'a1', 'local-dev')])).toEqual(['a1', 'a3']);
  });

  it.each([
    ['a known published app counts', ev('1', 'mine', 'published'), true],
    ['an unknown published app is held', ev('2', 'theirs', 'published'), false],
    ['an unknown app seen in the preview counts', ev('3', 'new', 'preview'), true],
    ['an unknown app in local dev counts', ev('4', 'new', 'local-dev'), true],
  ])('%s', (_, e, counted) => {
    const { counted: c, held } = partitionByApp([e], new Set(['mine']));
    expect(c.length === 1).toBe(counted);
    expect(held.length === 1).toBe(!counted);
  });
});

import { describe, expect, it } from 'vitest';
import { usageBreakdown, type UsageBreakdownQuery, type UsageBreakdown } from '../../../shared/ledger/usage';
import { ev, ms, msg } from './fixtures';

const EVENTS = [
  ev('2026-02-28T23:59:59.999Z', 100, { appId: 'app1' }), // before from
  ev('2026-03-01T23:30:00Z', 1, { appId: 'app1', memberId: 'ann', context: 'preview' }),
  ev('2026-03-02T00:30:00Z', 2, { appId: 'app1', memberId: 'bob', action: 'Core.SendEmail', context: 'published' }),
  ev('2026-03-02T10:00:00Z', 0.1, { appId: 'app2', action: 'connector:x', context: 'published' }),
  ev('2026-03-02T11:00:00Z', 0.2, { appId: 'app2', memberId: 'ann', context: 'published', outcome: 'failed' }),
  msg('2026-03-03T05:00:00Z', 0.5, { memberId: 'ann' }),
  ev('2026-03-03T06:00:00Z', 3, { action: 'unobserved', context: 'unknown' }),
  ev('2026-03-05T00:00:00Z', 100, { appId: 'app1' }), // at `to`: excluded
];
const Q = { from: ms('2026-03-01T00:00:00Z'), to: ms('2026-03-05T00:00:00Z') };
const TOTAL = { credits: 6.8, calls: 6 };

describe('usageBreakdown', () => {
  it.each<[string, Partial<UsageBreakdownQuery>, UsageBreakdown]>([
    ['no groupBy: total only', {}, { rows: [], total: TOTAL }],
    ['by app', { groupBy: 'app' }, { rows: [{ key: '(none)', credits: 3.5, calls: 2 }, { key: 'app1', credits: 3, calls: 2 }, { key: 'app2', credits: 0.3, calls: 2 }], total: TOTAL }],
    ['by member', { groupBy: 'member' }, { rows: [{ key: '(none)', credits: 3.1, calls: 2 }, { key: 'bob', credits: 2, calls: 1 }, { key: 'ann', credits: 1.7, calls: 3 }], total: TOTAL }],
    ['by action', { groupBy: 'action' }, {
      rows: [
        { key: 'unobserved', credits: 3, calls: 1 },
        { key: 'Core.SendEmail', credits: 2, calls: 1 },
        { key: 'Core.InvokeLLM', credits: 1.2, calls: 2 },
        { key: 'builder.prompt', credits: 0.5, calls: 1 },
        { key: 'connector:x', credits: 0.1, calls: 1 },
      ],
      total: TOTAL,
    }],
    ['by context', { groupBy: 'context' }, {
      rows: [{ key: 'unknown', credits: 3, calls: 1 }, { key: 'published', credits: 2.3, calls: 3 }, { key: 'preview', credits: 1, calls: 1 }, { key: 'editor', credits: 0.5, calls: 1 }],
      total: TOTAL,
    }],
    ['by UTC day (default)', { groupBy: 'day' }, {
      rows: [{ key: '2026-03-03', credits: 3.5, calls: 2 }, { key: '2026-03-02', credits: 2.3, calls: 3 }, { key: '2026-03-01', credits: 1, calls: 1 }],
      total: TOTAL,
    }],
    ['by day in New York (UTC−5)', { groupBy: 'day', timezone: 'America/New_York' }, {
      rows: [{ key: '2026-03-03', credits: 3.5, calls: 2 }, { key: '2026-03-01', credits: 3, calls: 2 }, { key: '2026-03-02', credits: 0.3, calls: 2 }],
      total: TOTAL,
    }],
    ['by day in Tokyo (UTC+9)', { groupBy: 'day', timezone: 'Asia/Tokyo' }, {
      rows: [{ key: '2026-03-03', credits: 3.5, calls: 2 }, { key: '2026-03-02', credits: 3.3, calls: 4 }],
      total: TOTAL,
    }],
    ['one kind', { kind: 'integration' }, { rows: [], total: { credits: 6.3, calls: 5 } }],
    ['from inclusive, to exclusive', { from: ms('2026-03-02T00:30:00Z'), to: ms('2026-03-02T11:00:00Z'), groupBy: 'app' }, {
      rows: [{ key: 'app1', credits: 2, calls: 1 }, { key: 'app2', credits: 0.1, calls: 1 }],
      total: { credits: 2.1, calls: 2 },
    }],
    ['an empty range', { from: ms('2026-04-01T00:00:00Z'), to: ms('2026-04-02T00:00:00Z'), groupBy: 'app' }, { rows: [], total: { credits: 0, calls: 0 } }],
  ])('%s', (_what, q, expected) => {
    expect(usageBreakdown(EVENTS, { ...Q, ...q })).toStrictEqual(expected);
  });

  it('rounds floating sums to 4 decimals and breaks credit ties by key', () => {
    const events = [
      ...Array.from({ length: 10 }, (_, i) => ev(`2026-03-02T00:00:0${i}Z`, 0.1, { appId: 'b' })),
      ...Array.from({ length: 3 }, (_, i) => ev(`2026-03-02T00:01:0${i}Z`, 1 / 3, { appId: 'a' })),
      ev('2026-03-02T00:02:00Z', 0.00004, { appId: 'c' }),
    ];
    expect(usageBreakdown(events, { ...Q, groupBy: 'app' })).toStrictEqual({
      rows: [{ key: 'a', credits: 1, calls: 3 }, { key: 'b', credits: 1, calls: 10 }, { key: 'c', credits: 0, calls: 1 }],
      total: { credits: 2, calls: 14 },
    });
  });
});

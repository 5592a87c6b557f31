// The Monitoring API reply parser over tables of replies. The shapes are fixtures we wrote: Base44 documents a
// `credit_pool` with message and integration limit/used/remaining, but not the field names under it.
import { describe, expect, it } from 'vitest';
import { checkPool, parseMonitoringReply } from '../../../shared/base44/monitoring';

describe('parseMonitoringReply: spellings', () => {
  it.each([
    ['nested snake_case', { credit_pool: { message_credits: { limit: 250, used: 50, remaining: 200 } } }, { limit: 250, used: 50, remaining: 200 }],
    ['short plural names, total/consumed', { credit_pool: { messages: { total: 250, consumed: 50 } } }, { limit: 250, used: 50, remaining: 200 }],
    ['singular, allowance/left', { credit_pool: { message: { allowance: 250, left: 200 } } }, { limit: 250, used: 50, remaining: 200 }],
    ['camelCase keys', { creditPool: { messageCredits: { limit: 250, used: 50, balance: 200 } } }, { limit: 250, used: 50, remaining: 200 }],
    ['flat fields', { credit_pool: { message_credits_limit: 250, message_credits_used: 50 } }, { limit: 250, used: 50, remaining: 200 }],
    ['wrapped in data', { data: { credit_pool: { message_credits: { used: 50, remaining: 200 } } } }, { limit: 250, used: 50, remaining: 200 }],
    ['numeric strings', { credit_pool: { message_credits: { limit: '1,250', used: ' 50.5 ', remaining: '1199.5' } } }, { limit: 1250, used: 50.5, remaining: 1199.5 }],
    ['remaining only', { credit_pool: { message_credits: { remaining: 12 } } }, { remaining: 12 }],
    ['fractions within rounding', { credit_pool: { message_credits: { limit: 25, used: 0.3, remaining: 24.7000001 } } }, { limit: 25, used: 0.3, remaining: 24.7000001 }],
  ])('%s', (_name, reply, want) => {
    const r = parseMonitoringReply(reply);
    expect(r.error).toBeUndefined();
    expect(r.skipped).toEqual([]);
    expect(r.pools).toEqual([{ pool: 'message', ...want }]);
  });

  it('reads both pools, the tier and member allocations (list or map)', () => {
    const r = parseMonitoringReply({
      tier: 'builder',
      credit_pool: { message_credits: { limit: 250, used: 0, remaining: 250 }, integration_credits: { limit: 10000, used: 10, remaining: 9990 } },
      member_allocations: [{ user_id: 'u1', email: 'a@example.com', message_credits_limit: '40', used: 3 }, 'junk', { name: 'Bo', cap: 20 }],
    });
    expect(r.pools.map((p) => p.pool)).toEqual(['message', 'integration']);
    expect(r.tier).toBe('builder');
    expect(r.memberAllocations).toEqual([{ id: 'u1', email: 'a@example.com', limit: 40, used: 3 }, { name: 'Bo', limit: 20 }]);
    expect(parseMonitoringReply({ credit_pool: { messages: { remaining: 1 } }, member_allocations: { u9: { allocation: 5 } } }).memberAllocations).toEqual([{ id: 'u9', limit: 5 }]);
  });
});

describe('parseMonitoringReply: refusals', () => {
  it.each([
    ['remaining > limit', { limit: 100, remaining: 150 }, 'remaining_exceeds_limit'],
    ['used > limit', { limit: 100, used: 150 }, 'used_exceeds_limit'],
    ['inconsistent triple', { limit: 100, used: 10, remaining: 50 }, 'inconsistent'],
    ['negative', { limit: 100, used: -1 }, 'negative'],
    ['not a number', { limit: 'many', remaining: 5 }, 'not_a_number'],
    ['NaN string', { remaining: 'NaN' }, 'not_a_number'],
    ['Infinity string', { remaining: 'Infinity' }, 'not_a_number'],
    ['a boolean', { remaining: true }, 'not_a_number'],
    ['too large', { remaining: 1e12 }, 'too_large'],
    ['no way to know remaining', { limit: 100 }, 'no_remaining'],
  ])('%s', (_name, raw, reason) => {
    const r = parseMonitoringReply({ credit_pool: { message_credits: raw, integration_credits: { limit: 10, used: 1, remaining: 9 } } });
    expect(r.skipped).toEqual([{ pool: 'message', reason }]);
    expect(r.pools).toEqual([{ pool: 'integration', limit: 10, used: 1, remaining: 9 }]);
  });

  it.each([
    ['null', null, 'not_an_object'],
    ['an array', [{ credit_pool: {} }], 'not_an_object'],
    ['a string', 'credit_pool', 'not_an_object'],
    ['no credit_pool', { usage: { messages: 3 } }, 'no_credit_pool'],
    ['credit_pool not an object', { credit_pool: 'full' }, 'no_credit_pool'],
    ['no pools in it', { credit_pool: { tier: 'pro', bonus_credits: 5 } }, 'no_pools'],
  ])('%s: nothing to store', (_name, reply, error) => {
    expect(parseMonitoringReply(reply)).toMatchObject({ pools: [], error });
  });

  it('never throws, even on a hostile object', () => {
    const hostile = { get credit_pool() { throw new Error('boom'); } };
    expect(parseMonitoringReply(hostile)).toMatchObject({ pools: [], error: 'not_an_object' });
  });

  it('checkPool completes exactly one missing figure', () => {
    expect(checkPool('integration', { limit: 10, used: 4, remaining: undefined })).toEqual({ pool: 'integration', limit: 10, used: 4, remaining: 6 });
    expect(checkPool('integration', { limit: undefined, used: 4, remaining: 6 })).toEqual({ pool: 'integration', limit: 10, used: 4, remaining: 6 });
  });

  it('drops over-long strings rather than cutting them', () => {
    const r = parseMonitoringReply({ credit_pool: { messages: { remaining: 1 }, tier: 'x'.repeat(41) }, member_allocations: [{ name: 'n'.repeat(121), cap: 1 }] });
    expect(r.tier).toBeUndefined();
    expect(r.memberAllocations).toEqual([{ limit: 1 }]);
  });
});

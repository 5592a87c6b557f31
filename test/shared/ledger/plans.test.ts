import { describe, expect, it } from 'vitest';
import { allowanceFor, PLAN_ALLOWANCES, type Allowance } from '../../../shared/ledger/plans';
import type { LedgerWorkspace } from '../../../shared/ledger/types';

describe('allowanceFor', () => {
  it.each<[LedgerWorkspace['plan'], LedgerWorkspace['limits'], Allowance]>([
    ['free', undefined, { message: 25, integration: 100, dailyMessage: 5 }],
    ['starter', undefined, { message: 100, integration: 2000 }],
    ['builder', undefined, { message: 250, integration: 10000 }],
    ['pro', undefined, { message: 500, integration: 20000 }],
    ['elite', undefined, { message: 1200, integration: 50000 }],
    ['custom', undefined, { message: 0, integration: 0 }],
    ['custom', { message: 3000, integration: 80000 }, { message: 3000, integration: 80000 }],
    ['elite', { message: 2400, integration: 100000 }, { message: 2400, integration: 100000 }],
    // Limits replace the monthly amounts; the Free plan's daily cap stays.
    ['free', { message: 50, integration: 200 }, { message: 50, integration: 200, dailyMessage: 5 }],
  ])('%s with limits %j', (plan, limits, expected) => {
    expect(allowanceFor({ plan, limits })).toStrictEqual(expected);
  });

  it('does not let a caller mutate the plan table through the result', () => {
    allowanceFor({ plan: 'pro' }).message = 1;
    expect(PLAN_ALLOWANCES.pro.message).toBe(500);
  });
});

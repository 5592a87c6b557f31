import { describe, expect, it } from 'vitest';
import { ago, compactCredits, inWords, levelOf } from '../../shared/format';

describe('format', () => {
  it.each([
    [0, '0'], [-3, '0'], [Number.NaN, '0'], [0.5, '0.5'], [0.99, '0.9'], [9.99, '9.9'], [412, '412'], [999.9, '999'],
    [1000, '1k'], [9_950, '9.9k'], [9_999, '9.9k'], [10_000, '10k'], [12_400, '12k'], [999_999, '999k'], [1_250_000, '1.2M'], [50_000_000, '50M'],
  ])('compactCredits(%d) = %s (rounds down, never overstates)', (n, s) => expect(compactCredits(n)).toBe(s));

  it.each([
    [undefined, 100, 'unknown'], [0, 100, 'critical'], [5, 100, 'critical'], [5.1, 100, 'low'], [20, 100, 'low'], [21, 100, 'ok'], [3, 0, 'ok'],
  ])('levelOf(%s, %s) = %s', (r, l, level) => expect(levelOf(r, l)).toBe(level));

  it.each([
    [10_000, 'now'], [25 * 60_000, 'in 25 min'], [3 * 3600_000 + 5 * 60_000, 'in 3 h 5 min'], [(3 * 24 + 4) * 3600_000, 'in 3 d 4 h'],
  ])('inWords(%d) = %s', (ms, s) => expect(inWords(ms)).toBe(s));

  it.each([[0, '0 s ago'], [90_000, '1 min ago'], [7_200_000, '2 h ago'], [3 * 86_400_000, '3 d ago']])('ago(%d) = %s', (ms, s) => expect(ago(ms)).toBe(s));
});

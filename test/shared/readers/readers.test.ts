// The pattern-pack reader on texts as Base44's UI could write them. Base44's real DOM and wording are not
// public: these fixtures are ours, written from its docs (base44-facts §4) in the wordings and number formats
// the UI is likely to use, in English and German. The pack is data: a test also swaps in a new version.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, judgeReading, parseCredits, patternPackSchema, promptCost, readJson, readPage, readPromptCost, readText, type PatternPack } from '../../../shared/readers';

const rule = DEFAULT_PACK.text[0];
const settings = DEFAULT_PACK.text[1];

describe('numbers', () => {
  it.each([
    ['1,234', '.', 1234, true], ['1 234', '.', 1234, true], ['12.5', '.', 12.5, true], ['0.3', '.', 0.3, true], ['1.2k', '.', 1200, false],
    ['3M', '.', 3_000_000, false], ['1.234,5', ',', 1234.5, true], ['12,5', ',', 12.5, true], ['1\u202f234', '.', 1234, true], ['10,000', '.', 10000, true],
  ])('%s (decimal %s) = %d, exact %s', (text, dec, value, exact) => expect(parseCredits(text, dec as '.' | ',')).toEqual({ value, exact }));
  it.each(['', 'abc', '-5', '1.2.3', '12..5', 'k'])('%j is not a number', (t) => expect(parseCredits(t)).toBeUndefined());
});

describe('editor credit panel texts', () => {
  it.each([
    ['12.5 message credits left', { pool: 'message', remaining: 12.5, exact: true }],
    ['1,234 integration credits remaining', { pool: 'integration', remaining: 1234, exact: true }],
    ['1.2k integration credits left', { pool: 'integration', remaining: 1200, exact: false }],
    ['Message credits: 12 / 250', { pool: 'message', remaining: 12, limit: 250, used: 238, exact: true }],
    ['12 / 250 message credits left', { pool: 'message', remaining: 12, limit: 250, exact: true }],
    ['9,980 of 10,000 integration credits left', { pool: 'integration', remaining: 9980, limit: 10000, exact: true }],
    ['  Integration   credits:\n 1,900 / 2,000 ', { pool: 'integration', remaining: 1900, limit: 2000, exact: true }],
  ])('%j', (text, expected) => expect(readText(text, rule, DEFAULT_PACK)).toMatchObject(expected));

  it.each([
    ['no pool word', '12 credits left'],
    ['an unknown pool', '12 banana credits left'],
    ['remaining above the limit', 'Message credits: 300 / 250'],
    ['no number', 'message credits left'],
  ])('reads nothing from %s', (_, text) => expect(readText(text, rule, DEFAULT_PACK)).toBeUndefined());

  it('German UI: "1.234 Integrationen credits übrig" uses the comma decimal', () => {
    expect(readText('1.234,5 Nachrichten credits übrig', rule, DEFAULT_PACK, 'de')).toMatchObject({ pool: 'message', remaining: 1234.5 });
  });
});

describe('Credit usage settings page', () => {
  it.each([
    ['Integration credits This cycle 8,100 / 10,000 used', { pool: 'integration', used: 8100, limit: 10000, remaining: 1900 }],
    ['Message credits  190 of 250 used', { pool: 'message', used: 190, limit: 250, remaining: 60 }],
  ])('%j', (text, expected) => expect(readText(text, settings, DEFAULT_PACK)).toMatchObject(expected));
});

describe('readPage', () => {
  it('first reading per pool wins, rules of the other page are not applied', () => {
    const texts: Record<string, string[]> = { 'credits-left': ['Message credits: 12 / 250', '11 message credits left', '1,234 integration credits left'], 'credit-usage-page': ['Message credits 1 of 2 used'] };
    const got = readPage(DEFAULT_PACK, 'editor', (r) => texts[r.id] ?? []);
    expect(got.map((r) => [r.pool, r.remaining])).toEqual([['message', 12], ['integration', 1234]]);
  });

  it('a pack update that changes a selector and a wording fixes what the old pack missed', () => {
    // Base44 renamed its panel's class and now writes "Remaining message credits — 42".
    const page = (selector: string) => (selector.includes('balance-widget') ? ['Remaining message credits — 42'] : []);
    expect(readPage(DEFAULT_PACK, 'editor', (r) => page(r.selector))).toEqual([]);
    const v2: PatternPack = patternPackSchema.parse({
      ...DEFAULT_PACK,
      version: 2,
      text: [{ id: 'balance-widget', page: 'editor', selector: '.balance-widget', patterns: ['Remaining (?<pool>\\p{L}+) credits\\s*—\\s*(?<remaining>[0-9.,]+)'] }, ...DEFAULT_PACK.text],
    });
    expect(readPage(v2, 'editor', (r) => page(r.selector))).toEqual([{ pool: 'message', remaining: 42, exact: true, rule: 'balance-widget' }]);
  });

  it('the default pack is valid; a pack with a broken regex is refused', () => {
    expect(patternPackSchema.safeParse(DEFAULT_PACK).success).toBe(true);
    expect(patternPackSchema.safeParse({ ...DEFAULT_PACK, text: [{ ...rule, patterns: ['(unclosed'] }] }).success).toBe(false);
  });
});

describe('prompt cost and JSON', () => {
  it('reads "Credits Used" when the editor shows it', () => {
    expect(readPromptCost(DEFAULT_PACK, ['More actions', 'Credits Used: 1.5'])).toBe(1.5);
    expect(readPromptCost(DEFAULT_PACK, ['Credits Used: 1.2k'])).toBeUndefined();
  });

  it('reads balances from a JSON reply the web app receives, only at matching paths', () => {
    const body = { message_credits: { remaining: 40, limit: 250 }, integration_credits: { remaining: '9500', limit: 10000 } };
    expect(readJson(DEFAULT_PACK, '/api/workspaces/w1/credits', body).map((r) => [r.pool, r.remaining, r.limit])).toEqual([['message', 40, 250], ['integration', 9500, 10000]]);
    expect(readJson(DEFAULT_PACK, '/api/apps/a/entities/Todo', body)).toEqual([]);
    expect(readJson(DEFAULT_PACK, '/api/credits', { message_credits: { remaining: 300, limit: 250 } })).toEqual([]);
  });
});

describe('plausibility and prompt attribution', () => {
  const r = (remaining: number, limit?: number, exact = true) => ({ pool: 'message' as const, remaining, ...(limit ? { limit } : {}), exact, rule: 't' });
  it.each([
    ['first reading', undefined, r(10, 25), true],
    ['a drop', { remaining: 12, limit: 25, at: 100 }, r(10, 25), true],
    ['a rise without reason', { remaining: 10, limit: 25, at: 100 }, r(12, 25), false],
    ['a rise after a new cycle', { remaining: 1, limit: 25, at: 10 }, r(25, 25), true],
    ['a rise with a bigger limit (upgrade)', { remaining: 1, limit: 25, at: 100 }, r(99, 100), true],
  ])('%s → ok %s', (_, prev, next, ok) => expect(judgeReading(prev, next, { cycleStart: 50 }).ok).toBe(ok));

  it('a rise is fine when credits were added since', () => {
    expect(judgeReading({ remaining: 1, at: 100 }, r(50), { cycleStart: 0, creditsAddedSince: () => true }).ok).toBe(true);
  });

  it.each([
    [r(12.5, 25), r(11, 25), { credits: 1.5, exact: true }],
    [r(12.5, 25), r(12.2, 25), { credits: 0.3, exact: true }],
    [r(1200, undefined, false), r(1100, undefined, true), { credits: 100, exact: false }],
    [r(10, 25), r(10, 25), undefined],
    [r(10, 25), r(12, 25), undefined],
    [r(10, 25), r(5, 50), undefined],
  ])('prompt cost between %o and %o', (a, b, cost) => expect(promptCost({ ...a, at: 1 }, { ...b, at: 2 })).toEqual(cost));
});

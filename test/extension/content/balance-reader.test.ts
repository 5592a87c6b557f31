// The balance reader over page fixtures we wrote (Base44's real DOM is not public): the editor's credit
// panel and the Credit usage page, re-read when they change, and read again correctly after a pack update.
import { describe, expect, it } from 'vitest';
import { startBalanceReader } from '../../../extension/content/balance-reader';
import { DEFAULT_PACK, patternPackSchema, type PatternPack } from '../../../shared/readers';
import type { PageReadingMessage } from '../../../shared/messages';

const EDITOR = 'https://app.base44.com/apps/698fc81203f85a20f281d9dc/editor/preview';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(html: string, url = EDITOR, pack: () => PatternPack = () => DEFAULT_PACK) {
  document.body.innerHTML = html;
  const sent: PageReadingMessage[] = [];
  const reader = startBalanceReader({ doc: document, pageUrl: () => url, pack, now: Date.now, lang: () => 'en', send: (r) => sent.push(r) });
  return { sent, reader };
}

describe('balance reader', () => {
  it('reads the editor credit panel once, then again only when a figure changes', async () => {
    const { sent } = setup('<div class="credits-panel"><span id="m">12.5 message credits left</span> <span>1,234 integration credits left</span></div>');
    expect(sent.map((r) => [r.pool, r.remaining, r.appId])).toEqual([['message', 12.5, '698fc81203f85a20f281d9dc'], ['integration', 1234, '698fc81203f85a20f281d9dc']]);
    document.getElementById('m')!.textContent = '11 message credits left';
    document.body.insertAdjacentHTML('beforeend', '<div class="credits-used">Credits Used: 1.5</div>');
    await wait(400);
    expect(sent.slice(2)).toEqual([expect.objectContaining({ pool: 'message', remaining: 11, promptCost: 1.5, exact: true })]);
    document.body.insertAdjacentHTML('beforeend', '<p>unrelated</p>');
    await wait(400);
    expect(sent).toHaveLength(3);
  });

  it('reads the Credit usage settings page (used of limit), without an app id', () => {
    const { sent } = setup('<table><tr class="credit-row"><td>Integration credits</td><td>8,100 / 10,000 used</td></tr></table>', 'https://app.base44.com/workspace/settings/credits');
    expect(sent).toEqual([expect.objectContaining({ pool: 'integration', used: 8100, limit: 10000, remaining: 1900 })]);
    expect(sent[0].appId).toBeUndefined();
  });

  it('marks Discuss mode, and a rounded figure as not exact', () => {
    const { sent } = setup('<div data-mode="discuss"></div><div class="credit-badge">1.2k integration credits left</div>');
    expect(sent[0]).toMatchObject({ pool: 'integration', remaining: 1200, exact: false, discuss: true });
  });

  it('a pack update with a new selector reads a panel the old pack could not', async () => {
    let pack: PatternPack = DEFAULT_PACK;
    const { sent, reader } = setup('<div class="balance-widget">Remaining message credits — 42</div>', EDITOR, () => pack);
    expect(sent).toEqual([]);
    pack = patternPackSchema.parse({ ...DEFAULT_PACK, version: 2, text: [{ id: 'widget', page: 'editor', selector: '.balance-widget', patterns: ['Remaining (?<pool>\\p{L}+) credits\\s*—\\s*(?<remaining>[0-9.,]+)'] }] });
    reader.scan();
    expect(sent).toEqual([expect.objectContaining({ pool: 'message', remaining: 42 })]);
  });

  it('survives a selector the browser cannot parse', () => {
    const bad = patternPackSchema.parse({ ...DEFAULT_PACK, version: 3, text: [{ ...DEFAULT_PACK.text[0], selector: ':::nope' }] });
    const { sent } = setup('<div class="credits-panel">5 message credits left</div>', EDITOR, () => bad);
    expect(sent).toEqual([]);
  });
});

describe('balance replies of the Base44 web app', () => {
  it('the hook reads only the pack’s numbers from a matching reply; the reader checks and sends them', async () => {
    const { balanceWatcher, balanceEmitter } = await import('../../../extension/hook/balance-watch');
    const watch = balanceWatcher(document, balanceEmitter(document));
    const { sent } = setup('<p>no panel</p>');
    await new Promise((r) => setTimeout(r, 10));
    expect(watch.watch('https://app.base44.com/api/workspaces/w1/credits')).toBe(true);
    expect(watch.watch('https://app.base44.com/api/apps/x/entities/Todo')).toBe(false);
    watch.report('https://app.base44.com/api/workspaces/w1/credits', { message_credits: { remaining: 40, limit: 250 }, integration_credits: { remaining: 9500, limit: 10000 }, secret: 'CANARY' });
    expect(sent).toEqual([expect.objectContaining({ pool: 'message', remaining: 40, limit: 250 }), expect.objectContaining({ pool: 'integration', remaining: 9500 })]);
    expect(JSON.stringify(sent)).not.toContain('CANARY');
  });

  it('a forged balance event with nonsense is ignored', async () => {
    const { BALANCE_EVENT } = await import('../../../extension/hook/balance-watch');
    const { sent } = setup('<p>no panel</p>');
    for (const detail of ['nope', JSON.stringify([{ pool: 'message', remaining: -1 }]), JSON.stringify([{ pool: 'x', remaining: 1 }]), JSON.stringify([{ pool: 'message', remaining: 300, limit: 250 }])]) {
      document.dispatchEvent(new CustomEvent(BALANCE_EVENT, { detail }));
    }
    expect(sent).toEqual([]);
  });
});

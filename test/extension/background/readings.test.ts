// Page readings in the background: judged, attributed to prompts, and sent in the right order.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { recordPageReading } from '../../../extension/background/readings';
import { items } from '../../../extension/utils/storage';
import type { Api } from '../../../extension/utils/api';
import type { UsageEvent } from '../../../shared/schemas/events';

const APP = '698fc81203f85a20f281d9dc';
function deps() {
  const log: string[] = [];
  const posted: unknown[] = [];
  const sentEvents: UsageEvent[] = [];
  let n = 0;
  const api = { postReading: async (r: unknown) => (log.push('reading'), posted.push(r)) } as unknown as Api;
  return {
    log, posted, sentEvents,
    d: { api: async () => api, now: () => Date.parse('2026-11-24T10:00:10Z'), newId: () => `evt_${String(++n).padStart(8, '0')}`, sendEvents: async (e: UsageEvent[]) => void (log.push('events'), sentEvents.push(...e)) },
  };
}
const reading = (remaining: number, at: string, over: Record<string, unknown> = {}) => ({ pool: 'message' as const, remaining, limit: 100, exact: true, at, appId: APP, ...over });

beforeEach(() => fakeBrowser.reset());

describe('page readings', () => {
  it('a drop in the editor is a prompt, sent before the reading', async () => {
    const t = deps();
    await recordPageReading(t.d, reading(12.5, '2026-11-24T10:00:00Z'));
    const r = await recordPageReading(t.d, reading(11, '2026-11-24T10:00:05Z'));
    expect(r.prompt).toMatchObject({ kind: 'message', action: 'builder.prompt', credits: 1.5, exact: true, appId: APP, context: 'editor' });
    expect(Date.parse(r.prompt!.at)).toBeLessThan(Date.parse('2026-11-24T10:00:05Z'));
    expect(t.log).toEqual(['reading', 'events', 'reading']);
  });

  it('prefers the editor’s own "Credits Used"; Discuss mode makes it builder.discuss', async () => {
    const t = deps();
    await recordPageReading(t.d, reading(12.5, '2026-11-24T10:00:00Z'));
    const r = await recordPageReading(t.d, reading(12, '2026-11-24T10:00:05Z', { promptCost: 0.3, discuss: true }));
    expect(r.prompt).toMatchObject({ action: 'builder.discuss', credits: 0.3, exact: true });
  });

  it('a reading that rises without reason is flagged and not sent', async () => {
    const t = deps();
    await recordPageReading(t.d, reading(10, '2026-11-24T10:00:00Z'));
    const r = await recordPageReading(t.d, reading(20, '2026-11-24T10:00:05Z'));
    expect(r).toMatchObject({ accepted: false, reason: expect.stringMatching(/rose/) });
    expect(t.posted).toHaveLength(1);
    expect(await items.flaggedReadings.get()).toMatchObject([{ pool: 'message', remaining: 20 }]);
  });

  it('no prompt outside the editor, for integration credits, or against an old reading', async () => {
    const t = deps();
    await recordPageReading(t.d, reading(50, '2026-11-24T06:00:00Z'));
    expect((await recordPageReading(t.d, reading(40, '2026-11-24T10:00:00Z'))).prompt).toBeUndefined();
    expect((await recordPageReading(t.d, reading(39, '2026-11-24T10:00:01Z', { appId: undefined }))).prompt).toBeUndefined();
    await recordPageReading(t.d, reading(500, '2026-11-24T10:00:02Z', { pool: 'integration', limit: 1000 }));
    expect((await recordPageReading(t.d, reading(400, '2026-11-24T10:00:03Z', { pool: 'integration', limit: 1000 }))).prompt).toBeUndefined();
    expect(t.sentEvents).toEqual([]);
  });
});

// The store on a real temp directory: replay after restart, torn tails, corrupt lines, snapshot checks,
// compaction and retention, group commit.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { Journal } from '../../../server/store/journal';
import { join } from 'node:path';
import { Store, StoreDataError } from '../../../server/store/store';
import { tempDir, usageEvent } from '../../support/server';
import type { StoredUsageEvent } from '../../../shared/schemas/events';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const now = Date.parse('2026-11-10T12:00:00Z');
const open = (dir: string, over: Partial<Parameters<typeof Store.open>[0]> = {}) => Store.open({ dir, fsync: true, retentionDays: 400, now: () => now, snapshotDelayMs: 5, ...over });
const ev = (id: string, at = '2026-11-10T11:00:00.000Z'): StoredUsageEvent => ({ ...(usageEvent({ id, at }) as unknown as StoredUsageEvent), receivedAt: '2026-11-10T12:00:00.000Z' });
const ws = { id: 'ws_1', name: 'T', billingModel: 'pool' as const, plan: 'free' as const, cycleAnchor: '2026-11-01T00:00:00Z', timezone: 'UTC', memberCaps: {}, createdAt: '2026-11-01T00:00:00Z' };

async function seeded() {
  const dir = tempDir();
  dirs.push(dir);
  const s = await open(dir);
  await s.commit({ op: 'ws.create', ws }).durable;
  await s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_00000001'), ev('evt_00000002')] }).durable;
  return { dir, s };
}

describe('store', () => {
  it('replays everything after a restart, events exactly once', async () => {
    const { dir, s } = await seeded();
    await s.commit({ op: 'ws.patch', wsId: 'ws_1', patch: { name: 'Renamed' } }).durable;
    // No close(): as after kill -9, only what reached the journal counts. (Let its pending snapshot land first:
    // a killed process would not write one later.)
    await new Promise((r) => setTimeout(r, 50));
    const again = await open(dir);
    expect(again.state.workspaces.ws_1.settings.name).toBe('Renamed');
    expect(again.eventLog('ws_1').list.map((e) => e.id)).toEqual(['evt_00000001', 'evt_00000002']);
    expect(again.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_00000001')] }).added).toEqual([]);
    await again.close();
  });

  it('cuts a torn last line (a write the process died in) and keeps the rest', async () => {
    const { dir } = await seeded();
    appendFileSync(join(dir, 'journal.ndjson'), '{"seq":9,"r":{"op":"events","wsId":"ws_1","events":[{"id":"evt_torn');
    const s = await open(dir);
    expect(s.loadReport.tornBytes).toBeGreaterThan(0);
    expect(s.eventLog('ws_1').list).toHaveLength(2);
    await s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_00000003')] }).durable;
    const again = await open(dir);
    expect(again.eventLog('ws_1').list.map((e) => e.id)).toEqual(['evt_00000001', 'evt_00000002', 'evt_00000003']);
  });

  it('skips and reports an unreadable line in the middle, then compacts it away', async () => {
    const { dir, s } = await seeded();
    appendFileSync(join(dir, 'journal.ndjson'), 'garbage\n');
    await s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_00000003')] }).durable;
    // Closed first: two open stores on one directory would race their snapshot writes (one temp file name).
    await s.close();
    const again = await open(dir);
    expect(again.loadReport.corruptLines).toBe(1);
    expect(again.eventLog('ws_1').list).toHaveLength(3);
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8')).not.toContain('garbage');
    // The unreadable original is kept beside it, not erased.
    const kept = readdirSync(dir).filter((f) => f.startsWith('journal.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]), 'utf8')).toContain('garbage');
  });

  it.each([
    ['not JSON', '{"format": 1, "seq": '],
    ['another format', JSON.stringify({ format: 99, seq: 0, state: { workspaces: {}, tokens: {}, invites: {} } })],
    ['missing state parts', JSON.stringify({ format: 1, seq: 0, state: { workspaces: {} } })],
  ])('refuses a snapshot that is %s with a clear error', async (_n, text) => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'snapshot.json'), text);
    await expect(open(dir)).rejects.toThrow(StoreDataError);
    await expect(open(dir)).rejects.toThrow(/snapshot\.json/);
  });

  it('keeps settings in the snapshot and events only in the journal; compaction drops settled records', async () => {
    const { dir, s } = await seeded();
    for (let i = 0; i < 20; i++) await s.commit({ op: 'ws.patch', wsId: 'ws_1', patch: { name: `n${i}` } }).durable;
    await s.close();
    const snap = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'));
    expect(snap.state.workspaces.ws_1.settings.name).toBe('n19');
    expect(JSON.stringify(snap)).not.toContain('evt_00000001');
    const before = statSync(join(dir, 'journal.ndjson')).size;
    const again = await open(dir);
    // Opening found settled records and compacted: only the events remain in the journal.
    const after = readFileSync(join(dir, 'journal.ndjson'), 'utf8');
    expect(after.length).toBeLessThan(before);
    expect(after).not.toContain('ws.patch');
    expect(again.state.workspaces.ws_1.settings.name).toBe('n19');
    expect(again.eventLog('ws_1').list).toHaveLength(2);
    await again.close();
  });

  it('reads a journal in chunks, lines crossing chunk boundaries', async () => {
    const { dir, s } = await seeded();
    for (let i = 3; i < 40; i++) await s.commit({ op: 'events', wsId: 'ws_1', events: [ev(`evt_${String(i).padStart(8, '0')}`)] }).durable;
    const before = Journal.readChunkBytes;
    Journal.readChunkBytes = 97;
    try {
      const again = await open(dir);
      expect(again.eventLog('ws_1').list).toHaveLength(39);
      expect(again.loadReport.corruptLines).toBe(0);
    } finally {
      Journal.readChunkBytes = before;
    }
  });

  it('forgets expired pairing codes at compaction', async () => {
    const { dir, s } = await seeded();
    await s.commit({ op: 'invite.create', codeHash: 'old', invite: { wsId: 'ws_1', role: 'viewer', expiresAt: '2026-11-01T00:00:00Z', createdAt: '2026-10-31T00:00:00Z' } }).durable;
    await s.commit({ op: 'invite.create', codeHash: 'new', invite: { wsId: 'ws_1', role: 'viewer', expiresAt: '2026-12-01T00:00:00Z', createdAt: '2026-11-10T00:00:00Z' } }).durable;
    await s.compact();
    expect(Object.keys(s.state.invites)).toEqual(['new']);
    await s.close();
    expect(Object.keys((await open(dir)).state.invites)).toEqual(['new']);
  });

  it('drops events and readings past retention at compaction', async () => {
    const { dir, s } = await seeded();
    await s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_old_0001', '2025-01-01T00:00:00.000Z')] }).durable;
    await s.close();
    const again = await open(dir);
    expect(again.eventLog('ws_1').list.map((e) => e.id)).toEqual(['evt_00000001', 'evt_00000002']);
    expect(again.eventLog('ws_1').ids.has('evt_old_0001')).toBe(false);
  });

  it('commits concurrent appends in shared groups, each resolving only once written', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const flushes: number[] = [];
    const s = await open(dir, { onFlush: (n) => flushes.push(n) });
    await s.commit({ op: 'ws.create', ws }).durable;
    flushes.length = 0;
    const all = Array.from({ length: 100 }, (_, i) => s.commit({ op: 'events', wsId: 'ws_1', events: [ev(`evt_grp_${String(i).padStart(4, '0')}`)] }).durable);
    await Promise.all(all);
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(100);
    expect(flushes.length).toBeLessThan(10);
    const lines = readFileSync(join(dir, 'journal.ndjson'), 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('evt_grp_'))).toHaveLength(100);
  });

  it('a duplicate-only commit waits for the original to be durable', async () => {
    const { s } = await seeded();
    const first = s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_pending1')] });
    let firstDone = false;
    void first.durable.then(() => (firstDone = true));
    const dup = s.commit({ op: 'events', wsId: 'ws_1', events: [ev('evt_pending1')] });
    expect(dup.added).toEqual([]);
    await dup.durable;
    expect(firstDone).toBe(true);
  });
});

describe('journalled request bodies', () => {
  it('replay turns a journalled body into exactly the events that were acknowledged', async () => {
    const { startTestServer, seedWorkspace, api, usageEvent } = await import('../../support/server');
    const s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}/events`;
    // One line (journalled raw), pretty-printed (re-serialised), an offset time, a BOM (re-serialised).
    const a = [usageEvent({ at: '2026-11-10T13:00:00+01:00', action: 'custom:shop/op' }), usageEvent({ flowId: 'flow_abcdefgh' })];
    const b = [usageEvent({ credits: 0.3 })];
    const c = [usageEvent({ kind: 'message' })];
    expect((await api(s, t.collaborator, 'POST', base, JSON.stringify({ events: a }))).json.accepted).toBe(2);
    expect((await api(s, t.collaborator, 'POST', base, JSON.stringify({ events: b }, null, 2))).json.accepted).toBe(1);
    expect((await api(s, t.collaborator, 'POST', base, '\ufeff' + JSON.stringify({ events: c }))).json.accepted).toBe(1);
    expect((await api(s, t.collaborator, 'POST', base, JSON.stringify({ events: [...a, ...b] }))).json).toEqual({ accepted: 0, duplicates: 3 });
    const before = JSON.parse(JSON.stringify(s.store.eventLog(t.owner.wsId).list));
    expect(before[0].at).toBe('2026-11-10T12:00:00.000Z');
    const journal = readFileSync(join(s.dir, 'journal.ndjson'), 'utf8');
    expect(journal).toContain('"op":"events.sent"');
    await s.close({ keepDir: true });
    const again = await open(s.dir);
    expect(again.eventLog(t.owner.wsId).list).toEqual(before);
    await again.close();
    dirs.push(s.dir);
  });
});

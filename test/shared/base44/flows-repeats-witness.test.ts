// Flows (one click → one flowId), repeats and runaways (loops, detected in the page), and the editor's
// second witness (a call counted once).
import { describe, expect, it } from 'vitest';
import { createFlowTracker } from '../../../shared/base44/flows';
import { createRepeatTracker, createRunawayDetector, fnv1a } from '../../../shared/base44/repeats';
import { createWitnessMerger } from '../../../shared/base44/witness';

const ids = () => {
  let n = 0;
  return () => `flow_${++n}`;
};

describe('flows', () => {
  it('calls after one click share a flow while they keep chaining, even after a slow call', () => {
    const f = createFlowTracker({ newId: ids() });
    f.gesture(1000);
    const a = f.flowFor(1010, 9000); // a slow LLM call
    const b = f.flowFor(9005, 9200); // the email sent after it
    const c = f.flowFor(9300, 9400);
    expect(new Set([a, b, c]).size).toBe(1);
  });

  it('a new click starts a new flow', () => {
    const f = createFlowTracker({ newId: ids() });
    f.gesture(1000);
    const a = f.flowFor(1010, 1100);
    f.gesture(1200);
    expect(f.flowFor(1210, 1300)).not.toBe(a);
  });

  it('a pause longer than the chain window splits flows; calls without a click group by time', () => {
    const f = createFlowTracker({ newId: ids(), chainMs: 5000 });
    const a = f.flowFor(0, 100);
    expect(f.flowFor(200, 300)).toBe(a);
    expect(f.flowFor(6000, 6100)).not.toBe(a);
  });

  it('a flow lasts at most maxMs', () => {
    const f = createFlowTracker({ newId: ids(), chainMs: 5000, maxMs: 20_000 });
    const a = f.flowFor(0, 0);
    let last = a;
    for (let t = 4000; t <= 24_000; t += 4000) last = f.flowFor(t, t);
    expect(last).not.toBe(a);
  });
});

describe('repeats and runaways', () => {
  it('the same hash within the window is a repeat; outside it is not', () => {
    const r = createRepeatTracker(5000);
    expect(r.seen(1, 0)).toBe(false);
    expect(r.seen(1, 4000)).toBe(true);
    expect(r.seen(1, 9500)).toBe(false);
    expect(r.seen(2, 9500)).toBe(false);
  });

  it('forgets the least recently seen past its capacity', () => {
    const r = createRepeatTracker(5000, 2);
    r.seen(1, 0);
    r.seen(2, 0);
    r.seen(3, 0);
    expect(r.seen(1, 1)).toBe(false);
    expect(r.seen(3, 1)).toBe(true);
  });

  it('fnv1a is stable and sensitive', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('POST /x {"p":1}')).not.toBe(fnv1a('POST /x {"p":2}'));
  });

  it('15 billed calls in 10 s, or 5 identical ones, are a runaway; slower use is not', () => {
    const d = createRunawayDetector();
    for (let i = 0; i < 14; i++) expect(d.add({ at: i * 600, action: 'Core.InvokeLLM', credits: 1, repeat: false })).toBe(false);
    expect(d.add({ at: 9_900, action: 'Core.SendEmail', credits: 1, repeat: false })).toBe(true);
    expect(d.state()).toEqual({ calls: 15, credits: 15, repeats: 0, topAction: 'Core.InvokeLLM', topCount: 14 });
    const slow = createRunawayDetector();
    for (let i = 0; i < 50; i++) expect(slow.add({ at: i * 1000, action: 'Core.InvokeLLM', credits: 1, repeat: false })).toBe(false);
    expect(slow.state()).toMatchObject({ calls: 11, credits: 11 });
    const loop = createRunawayDetector();
    const states = [0, 1, 2, 3, 4].map((i) => loop.add({ at: i * 100, action: 'Core.InvokeLLM', credits: 1, repeat: i > 0 }));
    expect(states).toEqual([false, false, false, false, false]);
    expect(loop.add({ at: 500, action: 'Core.InvokeLLM', credits: 1, repeat: true })).toBe(true);
    expect(loop.state()).toMatchObject({ repeats: 5 });
  });

  it('the window slides: old calls leave the counts', () => {
    const d = createRunawayDetector({ windowMs: 1000 });
    for (let i = 0; i < 5000; i++) d.add({ at: i * 10, action: i % 2 ? 'a' : 'b', credits: 0.5, repeat: i % 3 === 0 });
    const s = d.state();
    expect(s.calls).toBe(101);
    expect(s.credits).toBe(50.5);
    expect(s.repeats).toBe(34);
  });
});

describe('editor witness', () => {
  const K = 'POST /api/apps/a/integration-endpoints/Core/InvokeLLM';
  it('a witness matched by a direct report (before or after) is dropped', () => {
    const m = createWitnessMerger<string>(10_000);
    m.direct(K, 1000);
    m.witness(K, 1200, 'w1');
    m.witness(K, 5000, 'w2');
    m.direct(K, 5100);
    expect(m.due(100_000)).toEqual([]);
  });

  it('an unconfirmed witness counts once its window passes; not before', () => {
    const m = createWitnessMerger<string>(10_000);
    m.witness(K, 1000, 'w1');
    expect(m.due(5000)).toEqual([]);
    expect(m.due(11_001)).toEqual(['w1']);
    expect(m.due(20_000)).toEqual([]);
  });

  it('two identical calls, one seen directly: exactly one witness counts', () => {
    const m = createWitnessMerger<string>(10_000);
    m.witness(K, 1000, 'w1');
    m.witness(K, 1001, 'w2');
    m.direct(K, 1002);
    expect(m.due(20_000)).toEqual(['w2']);
  });
});

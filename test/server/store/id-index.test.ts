// The idempotency index agrees with a Set on every question, through growth, collisions and duplicates.
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../server/store/id-index';

describe('IdIndex', () => {
  it('answers like a Set over 200k random ids with repeats, growing from its smallest size', () => {
    const list: { id: string }[] = [];
    const index = new IdIndex((pos) => list[pos].id);
    const set = new Set<string>();
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 200_000; i++) {
      // One in five is a repeat of an earlier id.
      const id = rand() < 0.2 && list.length ? list[Math.floor(rand() * list.length)].id : `evt_${Math.floor(rand() * 1e12).toString(36)}_${i}`;
      const added = index.add(id, list.length);
      expect(added).toBe(!set.has(id));
      if (added) {
        set.add(id);
        list.push({ id });
      }
    }
    expect(index.size).toBe(set.size);
    for (let i = 0; i < 1000; i++) expect(index.has(`evt_absent_${i}`)).toBe(false);
    for (const { id } of list.slice(0, 1000)) expect(index.has(id)).toBe(true);
  });

  it('tells apart ids whose hashes collide (confirmed against the stored id)', () => {
    const list: { id: string }[] = [];
    const index = new IdIndex((pos) => list[pos].id);
    // Dense table use forces long probe runs; same-prefix ids exercise the comparison.
    for (let i = 0; i < 5000; i++) {
      const id = `same_prefix_${i}`;
      expect(index.add(id, list.length)).toBe(true);
      list.push({ id });
    }
    for (let i = 0; i < 5000; i++) expect(index.add(`same_prefix_${i}`, list.length)).toBe(false);
    expect(index.has('same_prefix_5000')).toBe(false);
  });

  it('builds from an existing list (after compaction)', () => {
    const list = Array.from({ length: 3000 }, (_, i) => ({ id: `e_${i}` }));
    const index = IdIndex.of(list);
    expect(index.size).toBe(3000);
    expect(index.has('e_2999')).toBe(true);
    expect(index.has('e_3000')).toBe(false);
  });
});

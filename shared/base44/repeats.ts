// Loop detection, in the page, before any server round trip: identical calls repeated within seconds are
// duplicates, and many billed calls in a short window are a runaway. Both see only hashes and counts.
export interface RepeatTracker {
  /** True when the same hash was seen within `windowMs` before `at`. */
  seen(hash: number, at: number): boolean;
}

export function createRepeatTracker(windowMs = 5_000, capacity = 128): RepeatTracker {
  const last = new Map<number, number>();
  return {
    seen(hash, at) {
      const before = last.get(hash);
      last.delete(hash); // re-insert: Map order then is least-recently-seen first
      last.set(hash, at);
      if (last.size > capacity) last.delete(last.keys().next().value!);
      return before !== undefined && at - before <= windowMs;
    },
  };
}

export interface RunawayState {
  calls: number;
  credits: number;
  repeats: number;
  /** The most frequent action in the window. */
  topAction: string;
  topCount: number;
}

/** Billed calls in a sliding window; `runaway` when there are too many, or too many identical ones. */
export function createRunawayDetector(opts: { windowMs?: number; maxCalls?: number; maxRepeats?: number } = {}) {
  const windowMs = opts.windowMs ?? 10_000;
  const maxCalls = opts.maxCalls ?? 15;
  const maxRepeats = opts.maxRepeats ?? 5;
  let window: { at: number; action: string; credits: number; repeat: boolean }[] = [];
  return {
    /** Records a billed call; returns the window's state when it looks like a loop, else undefined. */
    add(call: { at: number; action: string; credits: number; repeat: boolean }): RunawayState | undefined {
      window = window.filter((c) => call.at - c.at <= windowMs);
      window.push(call);
      const repeats = window.filter((c) => c.repeat).length;
      if (window.length < maxCalls && repeats < maxRepeats) return undefined;
      const counts = new Map<string, number>();
      for (const c of window) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
      const [topAction, topCount] = [...counts].sort((a, b) => b[1] - a[1])[0];
      const credits = Math.round(window.reduce((s, c) => s + c.credits, 0) * 100) / 100;
      return { calls: window.length, credits, repeats, topAction, topCount };
    },
  };
}

/** FNV-1a over a string, 32 bits: cheap, and never leaves the page. */
export function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

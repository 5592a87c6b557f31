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

/**
 * Billed calls in a sliding window; a runaway when there are too many, or too many identical ones. Runs on
 * every billed call in the page, so it is incremental (a queue with running counts, O(1) amortised per
 * call); the summary for the warning is built only when asked for.
 */
export function createRunawayDetector(opts: { windowMs?: number; maxCalls?: number; maxRepeats?: number } = {}) {
  const windowMs = opts.windowMs ?? 10_000;
  const maxCalls = opts.maxCalls ?? 15;
  const maxRepeats = opts.maxRepeats ?? 5;
  const queue: { at: number; action: string; credits: number; repeat: boolean }[] = [];
  let head = 0;
  let repeats = 0;
  let credits = 0;
  const counts = new Map<string, number>();

  const expire = (now: number) => {
    while (head < queue.length && now - queue[head].at > windowMs) {
      const old = queue[head++];
      if (old.repeat) repeats--;
      credits -= old.credits;
      const c = counts.get(old.action)! - 1;
      if (c) counts.set(old.action, c);
      else counts.delete(old.action);
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  };

  return {
    /** Records a billed call; true while the window looks like a loop. */
    add(call: { at: number; action: string; credits: number; repeat: boolean }): boolean {
      expire(call.at);
      queue.push(call);
      if (call.repeat) repeats++;
      credits += call.credits;
      counts.set(call.action, (counts.get(call.action) ?? 0) + 1);
      return queue.length - head >= maxCalls || repeats >= maxRepeats;
    },
    /** What the warning says about the current window. */
    state(): RunawayState {
      let topAction = '';
      let topCount = 0;
      for (const [action, n] of counts) if (n > topCount) [topAction, topCount] = [action, n];
      return { calls: queue.length - head, credits: Math.round(credits * 100) / 100, repeats, topAction, topCount };
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

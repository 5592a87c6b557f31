// A token bucket per bearer token: bursts up to half a minute's allowance, refilled continuously.
export function createRateLimiter(perMinute: number, now: () => number) {
  const capacity = Math.max(30, Math.floor(perMinute / 2));
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** Returns null when allowed, else the seconds to wait. */
  return function take(key: string): number | null {
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      b = { tokens: capacity, at: t };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  };
}

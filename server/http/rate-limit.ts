// A token bucket per key (a bearer token, or a client address for pairing): bursts up to half a minute's
// allowance, refilled continuously.
export interface RateLimiter {
  /** Spends one unit. Returns null when allowed, else the seconds to wait. */
  take(key: string): number | null;
  /** Like take, without spending: is this key currently out of budget? */
  check(key: string): number | null;
}

export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  const capacity = Math.max(10, Math.floor(perMinute / 2));
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (key: string) => {
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      b = { tokens: capacity, at: t };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
    }
    return b;
  };
  const wait = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  return {
    take(key) {
      const b = refill(key);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return wait(b.tokens);
    },
    check(key) {
      const b = refill(key);
      return b.tokens >= 1 ? null : wait(b.tokens);
    },
  };
}

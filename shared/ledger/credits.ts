// Credit arithmetic: credits are fractional (0.3 per Discuss message), so sums drift in binary floating point.
// Internal state is cleaned at 1e-9 (far below any real price) and every figure the ledger outputs at 4 decimals.

/** Round to `digits` decimals (default 4, the precision every ledger output uses). */
export function roundCredits(x: number, digits = 4): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no "-0" in replies
}

/** Remove binary noise from running balances so 100 − 0.1 × 1000 is exactly 0, not 1.4e-14. */
export function clean(x: number): number {
  return roundCredits(x, 9);
}

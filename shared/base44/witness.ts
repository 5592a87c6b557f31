// The editor's second witness. Inside the editor the preview iframe's SDK also posts `api-request-start/end`
// to the editor window (base44-facts §3). Our hook in the iframe sees the same call directly, so a call must
// count once: a witness report waits `windowMs` for a direct report with the same key (method + path) and is
// dropped when one arrives; only a witness nobody confirmed counts (e.g. a preview our hook could not reach).
// Direct reports that arrive first are remembered for the same window. Pure: time is passed in.
export interface WitnessMerger<T> {
  /** A call our own hook saw. Returns nothing: direct reports always count. */
  direct(key: string, at: number): void;
  /** A call only the editor's messages told us about; held until `due`. */
  witness(key: string, at: number, report: T): void;
  /** Witness reports whose window passed with no matching direct report. */
  due(now: number): T[];
}

export function createWitnessMerger<T>(windowMs = 10_000): WitnessMerger<T> {
  let directs: { key: string; at: number }[] = [];
  let pending: { key: string; at: number; report: T }[] = [];
  const expire = (now: number) => {
    directs = directs.filter((d) => now - d.at <= windowMs);
  };
  return {
    direct(key, at) {
      const i = pending.findIndex((p) => p.key === key && Math.abs(p.at - at) <= windowMs);
      if (i >= 0) pending.splice(i, 1);
      else directs.push({ key, at });
      expire(at);
    },
    witness(key, at, report) {
      expire(at);
      const i = directs.findIndex((d) => d.key === key && Math.abs(d.at - at) <= windowMs);
      if (i >= 0) directs.splice(i, 1);
      else pending.push({ key, at, report });
    },
    due(now) {
      const out = pending.filter((p) => now - p.at > windowMs);
      pending = pending.filter((p) => now - p.at <= windowMs);
      expire(now);
      return out.map((p) => p.report);
    },
  };
}

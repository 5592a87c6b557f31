// Which calls belong to one user gesture ("this click cost 4 credits: InvokeLLM + SendEmail + …").
// A trusted click or key press opens a flow; calls join it while they keep coming (each within `chainMs` of
// the flow's last activity, so a slow LLM call followed by an email still counts as one click) and for at most
// `maxMs`. Calls with no gesture before them (timers, page load) group the same way among themselves.
// Pure: time and new ids are passed in.
export interface FlowTracker {
  /** A trusted user gesture at `at` (epoch ms). */
  gesture(at: number): void;
  /** The flow a call that started at `start` and ended at `end` belongs to. */
  flowFor(start: number, end: number): string;
}

export function createFlowTracker(opts: { newId: () => string; chainMs?: number; maxMs?: number }): FlowTracker {
  const chainMs = opts.chainMs ?? 5_000;
  const maxMs = opts.maxMs ?? 60_000;
  let current: { id: string; openedAt: number; lastActivity: number } | undefined;
  let gestureAt: number | undefined;

  return {
    gesture(at) {
      gestureAt = at;
      current = undefined;
    },
    flowFor(start, end) {
      const live = current && start - current.lastActivity <= chainMs && start - current.openedAt <= maxMs && start >= current.openedAt - chainMs;
      if (!live) {
        const fromGesture = gestureAt !== undefined && start >= gestureAt && start - gestureAt <= chainMs;
        current = { id: opts.newId(), openedAt: fromGesture ? gestureAt! : start, lastActivity: start };
        if (fromGesture) gestureAt = undefined;
      }
      current!.lastActivity = Math.max(current!.lastActivity, end);
      return current!.id;
    },
  };
}

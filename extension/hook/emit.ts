// How the page hook hands metadata to the isolated content script: a CustomEvent on `document` whose detail
// is a JSON string (objects do not cross worlds). Calls are sent in batches — one event per 50 ms of activity,
// not one per call — because crossing into the isolated world costs more than everything else the hook does
// (measured with the CDP profiler; see test/bench/page-hook.ts). References are taken at install time, so a
// page that later replaces dispatchEvent, CustomEvent or setTimeout cannot intercept or break reporting.
import { HOOK_EVENT } from '../../shared/hook-event';
import type { HookCall } from '../../shared/messages';

export const EMIT_BATCH_MS = 50;
export const MAX_CALLS_PER_EVENT = 100;

export function documentEmitter(doc: Document, win: typeof globalThis = globalThis): (call: HookCall) => void {
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const stringify = JSON.stringify;
  const later = win.setTimeout.bind(win);
  let pending: HookCall[] = [];
  let scheduled = false;
  const send = () => {
    scheduled = false;
    if (!pending.length) return;
    const calls = pending;
    pending = [];
    for (let i = 0; i < calls.length; i += MAX_CALLS_PER_EVENT) {
      dispatch.call(doc, new Custom(HOOK_EVENT, { detail: stringify(calls.slice(i, i + MAX_CALLS_PER_EVENT)) }));
    }
  };
  // Leaving the page must not lose the last calls (an action followed at once by navigation): send them now.
  win.addEventListener?.('pagehide', send, true);
  return (call) => {
    pending.push(call);
    if (scheduled) return;
    scheduled = true;
    later(send, EMIT_BATCH_MS);
  };
}

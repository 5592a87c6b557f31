// How the page hook hands metadata to the isolated content script: a CustomEvent on `document` whose detail
// is a JSON string (objects do not cross worlds). References are taken at install time, so a page that later
// replaces dispatchEvent or CustomEvent cannot intercept or break reporting.
import { HOOK_EVENT } from '../../shared/hook-event';
import type { HookCall } from '../../shared/messages';

export function documentEmitter(doc: Document): (call: HookCall) => void {
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const stringify = JSON.stringify;
  return (call) => {
    dispatch.call(doc, new Custom(HOOK_EVENT, { detail: stringify(call) }));
  };
}

// A classified call as the content script reports it to the background; the same for the hook's direct
// observations and the editor's witness messages.
import type { Classified } from '../../shared/base44/classify';
import type { CallReport } from '../../shared/messages';

export function callReport(c: Classified, r: { id: string; start: number; flowId: string; repeat: boolean; via: CallReport['via']; key: string }): CallReport {
  return {
    id: r.id,
    at: new Date(r.start).toISOString(),
    action: c.action,
    ...(c.appId ? { appId: c.appId } : {}),
    context: c.context,
    outcome: c.outcome,
    credits: c.credits,
    exact: c.exact,
    flowId: r.flowId,
    repeat: r.repeat,
    via: r.via,
    key: r.key,
  };
}

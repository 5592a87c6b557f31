// Typed messaging on top of runtime.sendMessage (shared/messages.ts is the protocol). Content scripts use
// `contentPort`; extension pages use `sendToBackground`. Replies are `{ok: true, result}` or `{ok: false, error}`.
import { browser } from 'wxt/browser';
import type { ContentMessageName, MessageData, PageMessageName } from '../../shared/messages';
import type { Runaway } from '../../shared/messages';
import type { RunawayState } from '../../shared/base44/repeats';
import { items } from './storage';
import { DEFAULT_PACK } from '../../shared/readers/default-pack';
import type { PatternPack } from '../../shared/readers/pack';

export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: string };

export async function sendToBackground<T = unknown>(name: PageMessageName, data: MessageData<PageMessageName>): Promise<T> {
  const reply = (await browser.runtime.sendMessage({ name, data })) as Reply<T> | undefined;
  if (!reply) throw new Error('the extension did not answer: reload the page');
  if (!reply.ok) throw new Error(reply.error);
  return reply.result;
}

export function contentPort() {
  let loopWarnings = true;
  void items.prefs.get().then((p) => (loopWarnings = p.loopWarnings)).catch(() => undefined);
  return {
    /** Retries a few times: a worker that is starting may miss the first message. Calls are in the outbox only once this resolves. */
    async send<K extends ContentMessageName>(name: K, data: MessageData<K>): Promise<void> {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          const reply = (await browser.runtime.sendMessage({ name, data })) as Reply | undefined;
          if (reply?.ok) return;
        } catch {
          // the worker is restarting, or the extension was reloaded (then nothing here can reach it)
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    },
    /** The cached pattern pack (the default until storage answers). */
    pack(): () => PatternPack {
      let pack = DEFAULT_PACK;
      void items.pack.get().then((p) => (pack = p)).catch(() => undefined);
      return () => pack;
    },
    loopWarnings: (show: (r: RunawayState) => void) => (r: RunawayState) => {
      if (loopWarnings) show(r);
    },
  };
}
export type { Runaway };

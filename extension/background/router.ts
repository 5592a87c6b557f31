// The background's message door. Checks who is talking before anything else: messages must come from this
// extension; content scripts (which relay what a web page says) may only use the `fromContent` names; the
// popup and options pages may use the rest. Data is parsed with the protocol's schemas; a bad message gets
// an error reply, never an exception.
import { fromContent, fromPages, type MessageData, type MessageName } from '../../shared/messages';
import type { Reply } from '../utils/messaging';

export type Handlers = { [K in MessageName]: (data: MessageData<K>, sender: Sender) => Promise<unknown> };
export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export function createRouter(opts: { extensionId: string; extensionOrigin: string; handlers: Handlers }) {
  return async (msg: unknown, sender: Sender): Promise<Reply> => {
    if (sender.id !== opts.extensionId) return { ok: false, error: 'not from this extension' };
    const { name, data } = (msg ?? {}) as { name?: unknown; data?: unknown };
    if (typeof name !== 'string') return { ok: false, error: 'no message name' };
    const fromOwnPage = typeof sender.url === 'string' && sender.url.startsWith(opts.extensionOrigin);
    const schema = Object.hasOwn(fromContent, name)
      ? fromContent[name as keyof typeof fromContent]
      : fromOwnPage && Object.hasOwn(fromPages, name)
        ? fromPages[name as keyof typeof fromPages]
        : undefined;
    if (!schema) return { ok: false, error: `message "${name}" is not allowed from here` };
    const parsed = schema.safeParse(data);
    if (!parsed.success) return { ok: false, error: `invalid "${name}" message: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
    try {
      const handler = opts.handlers[name as MessageName] as (d: unknown, s: Sender) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, sender) };
    } catch (e) {
      return { ok: false, error: (e as Error).message || 'failed' };
    }
  };
}

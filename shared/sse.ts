// An incremental Server-Sent Events parser (the WHATWG "event stream" format): feed it text as it arrives,
// get whole frames back. Used by the extension's stream client; pure, so tests cover every edge.
export interface SseFrame {
  /** The frame's `id`, or undefined when it had none. */
  id?: string;
  /** `message` when the frame named no event. */
  event: string;
  data: string;
}

export interface SseParser {
  /** Adds text; returns the frames it completed. */
  push(chunk: string): SseFrame[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let sawData = false;

  const line = (l: string, out: SseFrame[]) => {
    if (l === '') {
      // A blank line ends a frame; frames without data (comments, bare ids) dispatch nothing.
      if (sawData) out.push({ id, event: event || 'message', data: data.join('\n') });
      id = undefined;
      event = '';
      data = [];
      sawData = false;
      return;
    }
    if (l.startsWith(':')) return; // comment (the server's heartbeat)
    const colon = l.indexOf(':');
    const field = colon === -1 ? l : l.slice(0, colon);
    let value = colon === -1 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      sawData = true;
    } else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    push(chunk) {
      buffer += chunk;
      const out: SseFrame[] = [];
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        // A lone \r at the very end may be the first half of \r\n: wait for more text.
        if (c === '\r' && i === buffer.length - 1) break;
        line(buffer.slice(start, i), out);
        if (c === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
  };
}

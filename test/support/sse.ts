// A minimal SSE client for tests: reads frames from a real HTTP response (fetch + stream reader).
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  frames: SseFrame[];
  /** Resolves with the first frame (from the start) matching `pred`, waiting up to `ms`. */
  next(pred: (f: SseFrame) => boolean, ms?: number): Promise<SseFrame>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctl.signal });
  const frames: SseFrame[] = [];
  const waiters: (() => void)[] = [];
  if (res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const f: SseFrame = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) f.comment = line.slice(1).trim();
              else {
                const k = line.slice(0, line.indexOf(':'));
                const v = line.slice(line.indexOf(':') + 1).replace(/^ /, '');
                if (k === 'id' || k === 'event' || k === 'data') f[k] = f[k] === undefined || k !== 'data' ? v : `${f[k]}\n${v}`;
              }
            }
            frames.push(f);
            for (const w of waiters.splice(0)) w();
          }
        }
      } catch {
        /* aborted */
      }
    })();
  }
  return {
    status: res.status,
    frames,
    async next(pred, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const f = frames.find(pred);
        if (f) return f;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE frame within ${ms} ms; got ${JSON.stringify(frames)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    close: () => ctl.abort(),
  };
}

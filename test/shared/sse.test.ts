import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../shared/sse';

describe('SSE parser', () => {
  it.each([
    ['one frame', ['id: 1\nevent: balance\ndata: {"a":1}\n\n'], [{ id: '1', event: 'balance', data: '{"a":1}' }]],
    ['split anywhere', ['id: 1\nev', 'ent: usage\nda', 'ta: x\n', '\n'], [{ id: '1', event: 'usage', data: 'x' }]],
    ['CRLF split between \\r and \\n', ['data: a\r', '\n\r\n'], [{ event: 'message', data: 'a' }]],
    ['multi-line data', ['data: a\ndata: b\n\n'], [{ event: 'message', data: 'a\nb' }]],
    ['heartbeat comments dispatch nothing', [': ping\n\n', ':\n\n'], []],
    ['a frame without data dispatches nothing', ['id: 7\nevent: balance\n\n'], []],
    ['no space after the colon', ['data:x\n\n'], [{ event: 'message', data: 'x' }]],
    ['an id with NUL is ignored', ['id: a\0b\ndata: x\n\n'], [{ event: 'message', data: 'x' }]],
    ['an unfinished frame waits', ['data: x\n'], []],
  ])('%s', (_, chunks, frames) => {
    const p = createSseParser();
    expect(chunks.flatMap((c) => p.push(c))).toEqual(frames);
  });
});

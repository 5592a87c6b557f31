// The page hook's overhead, as a page feels it: the same loop of billed-shape requests (fetch and XHR,
// sequential, to the loopback fake Base44) in Chromium with the built extension and without it, rounds
// alternating so both see the same machine noise; the median of the per-round ratios is reported.
// Also the built extension's size (what a user downloads, and what every Base44 page loads: the hook).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { extensionDir, launchWithExtension } from '../support/browser';
import { DEFAULT_APP_ID, startFakeBase44 } from '../support/fake-base44';

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    n += s.isDirectory() ? dirBytes(p) : s.size;
  }
  return n;
}

/**
 * Runs in the page: `n` sequential calls, alternating fetch and XHR; returns the elapsed ms. A string, not a
 * function: tsx's esbuild would add `__name` helpers to a function's source, which do not exist in the page.
 */
const LOOP = `async ([appId, n]) => {
  const url = '/api/apps/' + appId + '/integration-endpoints/Core/InvokeLLM';
  const xhr = () => new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('POST', url);
    x.setRequestHeader('content-type', 'application/json');
    x.onloadend = () => resolve();
    x.send('{"prompt":"bench"}');
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (i % 2) await xhr();
    else await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"bench"}' })).text();
  }
  return performance.now() - t0;
}`;
const loop = (page: Page, n: number): Promise<number> => page.evaluate(`(${LOOP})(${JSON.stringify([DEFAULT_APP_ID, n])})`) as Promise<number>;

const BLOCK = 50;

export async function benchPageHook(opts: { rounds?: number; calls?: number; log: (s: string) => void }) {
  const rounds = opts.rounds ?? 9;
  const calls = opts.calls ?? 400;
  const fake = await startFakeBase44();
  const withExt = await launchWithExtension({ args: fake.chromiumArgs });
  const plain = await launchWithExtension({ args: fake.chromiumArgs, withoutExtension: true });
  try {
    const pageWith = await withExt.context.newPage();
    const pageWithout = await plain.context.newPage();
    for (const p of [pageWith, pageWithout]) {
      await p.goto('https://myapp.base44.app/');
      await loop(p, 50); // warm-up: TLS session, JIT, caches
    }
    const ratios: number[] = [];
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Interleaved in blocks of 50 calls, alternating which side goes first: the machine's slow moments (2
      // shared cores) then fall on both sides alike instead of on whichever ran during them.
      const ms = new Map<unknown, number>([[pageWith, 0], [pageWithout, 0]]);
      for (let block = 0; block < calls / BLOCK; block++) {
        const order = (r + block) % 2 ? [pageWith, pageWithout] : [pageWithout, pageWith];
        for (const p of order) ms.set(p, ms.get(p)! + (await loop(p, BLOCK)));
      }
      withMs.push(ms.get(pageWith)!);
      withoutMs.push(ms.get(pageWithout)!);
      ratios.push(ms.get(pageWith)! / ms.get(pageWithout)!);
      opts.log(`  page hook round ${r + 1}: ${calls} calls, with ${ms.get(pageWith)!.toFixed(0)} ms, without ${ms.get(pageWithout)!.toFixed(0)} ms, ratio ${ratios[r].toFixed(3)}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      ratio: Math.round(median(ratios) * 1000) / 1000,
      ratioRounds: ratios.map((x) => x.toFixed(3)).join(' '),
      msPerCallWith: Math.round((median(withMs) / calls) * 1000) / 1000,
      msPerCallWithout: Math.round((median(withoutMs) / calls) * 1000) / 1000,
      calls,
      rounds,
      extensionKb: Math.round(dirBytes(extensionDir) / 102.4) / 10,
      hookKb: Math.round(statSync(join(extensionDir, 'content-scripts/page-hook.js')).size / 102.4) / 10,
      observerKb: Math.round(statSync(join(extensionDir, 'content-scripts/observer.js')).size / 102.4) / 10,
    };
  } finally {
    await withExt.close();
    await plain.close();
    await fake.close();
  }
}

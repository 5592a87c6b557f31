// The extension project runs on WXT's fake browser (WxtVitest): the polyfilled `browser` is the fake.
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { NotPaired } from '../../extension/components/NotPaired';

describe('extension skeleton', () => {
  it('renders the not-paired state with the server hint', () => {
    const root = document.createElement('div');
    render(<NotPaired serverHint="http://127.0.0.1:9999" />, root);
    expect(root.textContent).toContain('Not paired yet.');
    expect(root.textContent).toContain('http://127.0.0.1:9999');
  });

  it('gets the fake browser in tests', async () => {
    fakeBrowser.reset();
    await browser.storage.local.set({ probe: 1 });
    expect(await browser.storage.local.get('probe')).toEqual({ probe: 1 });
  });
});

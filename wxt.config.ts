import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// WXT builds the MV3 extension from extension/. webExt is disabled: these machines have no display,
// and browser tests launch Chromium themselves (test/e2e).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  webExt: { disabled: true },
  manifest: {
    name: 'Creditwatch for Base44',
    description: 'Live Base44 message and integration credits, who spent them, and warnings before they run out.',
    permissions: ['storage', 'alarms'],
  },
  vite: () => ({ plugins: [preact()] }),
});

import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The public half of a throwaway key: it pins the unpacked extension's id in Chromium to
// hnbkbimaeccfeeljbljgakpfmgjfdejg, so `npm start` can print a pairing link that opens its options page.
// (Only an id: the store assigns its own; the private half was never kept.)
const CHROME_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyXPg4b+kfdeRcvatMWA+izFFCXAxCWrPbly6Ux1niMwFa8GFv3CtwaTn6NKw5ETsIqz7rfxJ8BIlyJPsULb5VPx/62aDw2ccDBOkPtrX5Cb6EiNDY6n1XSEm/pREnJSThO0orjPXwS3r4OmzA4FDCYKaanULYyVbd+iZc+RooGJ3DeWEtfMXCxxmuVx0neHCc4BlWUkrUoyZpO5aJsRye3jOGsqKboYe8C2zAtmSN1bAUu52taM7G0YNDDReBj7RTIWe74TC1P6+FBA4SVZeqvbZzCUsbGBihHwcKRTSeWvIaww5OtpJ8WTk7q8QJgq/rQt+H4qcyPe5E7eP+uRSCQIDAQAB';

// WXT builds the MV3 extension from extension/. webExt is disabled: these machines have no display,
// and browser tests launch Chromium themselves (test/e2e).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  webExt: { disabled: true },
  manifest: ({ browser }) => ({
    name: 'Creditwatch for Base44',
    description: 'Live Base44 message and integration credits, who spent them, and warnings before they run out.',
    // Only what is needed: storage (outbox, state), alarms (stream watchdog, retries), notifications (alerts),
    // scripting (content scripts for custom domains / base44 dev, registered once the user grants the host).
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // Base44's own hosts; the Creditwatch server is reached via CORS (server/http/cors.ts), so it needs none.
    host_permissions: ['https://*.base44.app/*', 'https://app.base44.com/*'],
    // Asked for at run time from the options page: a custom domain the user adds, or base44 dev on loopback.
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    action: { default_title: 'Creditwatch', default_icon: { 16: 'icon/16.png', 32: 'icon/32.png' } },
    // Firefox needs an id for storage; the metadata of Base44 calls (never their content) goes to the user's
    // own Creditwatch server, which Firefox counts as website activity.
    ...(browser === 'chrome' ? { key: CHROME_KEY } : {}),
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'creditwatch@creditwatch.dev', strict_min_version: '128.0', data_collection_permissions: { required: ['websiteActivity'] } } } }
      : {}),
  }),
  vite: () => ({ plugins: [preact()] }),
});

// Custom domains and `base44 dev` on loopback: the user grants the host permission from the options page
// (an optional permission, asked for at that moment), then the same two content scripts are registered for
// those hosts. Registrations persist across browser restarts; `sync` re-creates them from storage if not.
import { browser } from 'wxt/browser';
import { domainMatches, LOCAL_DEV_MATCHES } from '../utils/hosts';
import { items } from '../utils/storage';

const HOOK = 'content-scripts/page-hook.js';
const OBSERVER = 'content-scripts/observer.js';

export async function wantedMatches(): Promise<string[]> {
  const [domains, prefs] = await Promise.all([items.domains.get(), items.prefs.get()]);
  return [...domains.flatMap(domainMatches), ...(prefs.localDev ? LOCAL_DEV_MATCHES : [])];
}

export async function syncRegistrations(): Promise<void> {
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return;
  const wanted = await wantedMatches();
  // Only hosts the user actually granted: a registration without the permission would fail.
  const granted = [];
  for (const m of wanted) if (await browser.permissions.contains({ origins: [m] }).catch(() => false)) granted.push(m);
  const existing = await scripting.getRegisteredContentScripts({ ids: ['cw-hook', 'cw-observer'] }).catch(() => []);
  if (existing.length) await scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (!granted.length) return;
  await scripting.registerContentScripts([
    { id: 'cw-hook', matches: granted, js: [HOOK], runAt: 'document_start', allFrames: true, world: 'MAIN', persistAcrossSessions: true },
    { id: 'cw-observer', matches: granted, js: [OBSERVER], runAt: 'document_start', allFrames: true, persistAcrossSessions: true },
  ] as never);
}

// The pattern pack a workspace's extensions read Base44's pages with (shared/readers). The default ships
// with the server; a lead can install a newer one, and every paired extension picks it up on its next sync,
// without a release. A pack must parse (valid regular expressions, bounded sizes) and its version may only go up.
import { DEFAULT_PACK, type PatternPack } from '../../shared/readers';
import type { Auth } from '../http/auth';
import { invalid } from './errors';
import { workspaceOf, type DomainDeps } from './deps';

export function currentPack(deps: DomainDeps, wsId: string): PatternPack {
  return workspaceOf(deps, wsId).patternPack ?? DEFAULT_PACK;
}

export async function installPack(deps: DomainDeps, auth: Auth, pack: PatternPack): Promise<PatternPack> {
  const now = currentPack(deps, auth.wsId);
  if (pack.version <= now.version) {
    throw invalid(`the pack's version must be above the current one (${now.version})`, [{ path: 'body.version', message: `must be greater than ${now.version}` }]);
  }
  await deps.store.commit({ op: 'pack.put', wsId: auth.wsId, pack }).durable;
  return pack;
}

export async function resetPack(deps: DomainDeps, auth: Auth): Promise<void> {
  await deps.store.commit({ op: 'pack.put', wsId: auth.wsId, pack: null }).durable;
}

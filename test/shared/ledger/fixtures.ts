// Builders for ledger test data: short calls that fill in the fields a table row does not care about.
import type { StoredUsageEvent } from '../../../shared/schemas/events';
import type { Grant } from '../../../shared/schemas/grants';
import type { Reading } from '../../../shared/schemas/readings';

export const ms = (iso: string): number => Date.parse(iso);

let seq = 0;

export function ev(at: string, credits: number, more: Partial<StoredUsageEvent> = {}): StoredUsageEvent {
  seq++;
  return {
    id: `ev-${String(seq).padStart(6, '0')}`,
    at,
    kind: 'integration',
    credits,
    exact: true,
    action: 'Core.InvokeLLM',
    context: 'preview',
    outcome: 'ok',
    receivedAt: at,
    ...more,
  };
}

export const msg = (at: string, credits: number, more: Partial<StoredUsageEvent> = {}): StoredUsageEvent =>
  ev(at, credits, { kind: 'message', action: 'builder.prompt', context: 'editor', ...more });

/** A grant; expiresAt defaults to one year after purchase, like a Base44 top-up. */
export function grant(id: string, credits: number, purchasedAt: string, more: Partial<Grant> = {}): Grant {
  const p = new Date(purchasedAt);
  const year = new Date(Date.UTC(p.getUTCFullYear() + 1, p.getUTCMonth(), p.getUTCDate(), p.getUTCHours(), p.getUTCMinutes(), p.getUTCSeconds()));
  return { id, kind: 'integration', type: 'topup', credits, holder: 'workspace', purchasedAt, expiresAt: year.toISOString(), ...more };
}

export function reading(at: string, remaining: number, more: Partial<Reading> = {}): Reading {
  return { id: `rd-${at}`, pool: 'integration', holder: 'workspace', remaining, at, source: 'page', exact: true, receivedAt: at, ...more };
}

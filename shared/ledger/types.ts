// The ledger's inputs, as plain data. The server builds a LedgerInput from its store; the extension may build
// one from what it knows, so a badge can move before the server answers. Times are ISO strings or epoch ms;
// `now` is always passed in (no clock reads in shared/).
import type { BillingModel, Plan } from '../schemas/common';
import type { StoredUsageEvent } from '../schemas/events';
import type { Grant } from '../schemas/grants';
import type { Reading } from '../schemas/readings';

export interface LedgerWorkspace {
  billingModel: BillingModel;
  plan: Plan;
  /** Overrides the plan's monthly allowances (required for plan "custom"). */
  limits?: { message: number; integration: number };
  /** The instant the plan was bought: cycles reset monthly at this UTC day-of-month and time. */
  cycleAnchor: string;
  /** Pool model: per-member message-credit caps. */
  memberCaps?: { default?: number | null; byMember?: Record<string, number> };
  /** Workspace owner: in the seat model, apps without an owner spend this member's integration credits. */
  ownerId?: string;
}

export interface LedgerMember {
  id: string;
}

export interface LedgerApp {
  id: string;
  ownerId?: string | null;
}

export interface LedgerInput {
  workspace: LedgerWorkspace;
  members: LedgerMember[];
  apps: LedgerApp[];
  grants: Grant[];
  /** Every stored event (any order); the ledger picks what matters. */
  events: StoredUsageEvent[];
  readings: Reading[];
  now: number;
  /** Trailing window for the burn rate; default 7 days. */
  forecastWindowMs?: number;
  /** When observation started (workspace creation); the burn-rate window never reaches before it. */
  observedSince?: number;
}

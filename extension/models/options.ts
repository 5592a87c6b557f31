// The options page's state: pairing (prefilled from ?server=&code= and submitted once when both are there),
// the server connection and outbox, notification preferences and custom domains. Host permissions must be
// requested inside the user's click, so `addDomain` and turning on local dev call `port.requestOrigins`
// synchronously, before their first await; only then is the background told. Errors end up in signals,
// shown inline; no action throws.
import { computed, createModel, effect, signal, untracked } from '@preact/signals';
import { ago, inWords } from '../../shared/format';
import { domainSchema, pairRequestSchema, type PairRequest, type Prefs } from '../../shared/messages';
import type { Status } from '../background/status';
import { domainMatches, LOCAL_DEV_MATCHES } from '../utils/hosts';

export interface PairResult {
  workspace: { id: string; name: string };
  member: { id: string; name: string; role: string };
}

/** What the options page needs from the outside world (utils/ports.ts builds the real one). */
export interface OptionsPort {
  status(): Promise<Status>;
  pair(req: PairRequest): Promise<PairResult>;
  unpair(): Promise<void>;
  refresh(): Promise<void>;
  setPrefs(prefs: Prefs): Promise<void>;
  addDomain(domain: string): Promise<void>;
  removeDomain(domain: string): Promise<void>;
  /** A lead states a pool's current remaining (becomes an exact `manual` reading). */
  calibrate(pool: 'message' | 'integration', remaining: number): Promise<void>;
  /** Leads: prices the balance readings suggest; accept applies one as an override. */
  proposals(): Promise<PriceProposalView[]>;
  proposalAction(action: string, decision: 'accept' | 'dismiss', proposed: number): Promise<void>;
  /** browser.permissions.request({origins}): only works when called synchronously inside a user gesture. */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** `server` and `code` from the page's query string (the link `npm start` prints). */
  queryParams: { server?: string; code?: string };
  /** Drops the one-time code from the address bar once it has been used. */
  forgetQuery(): void;
}

export interface PriceProposalView {
  action: string;
  current: number;
  proposed: number;
  calls: number;
  intervals: number;
  confidence: string;
  reason: string;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:4317';
export const OPTIONS_POLL_MS = 5_000;

type Field = 'server' | 'code';
export type PairValidation = { ok: true; value: PairRequest } | { ok: false; errors: Partial<Record<Field, string>> };

const FALLBACK: Record<Field, string> = { server: 'must be an http(s) URL', code: 'the code is at most 64 characters' };

export function validatePair(input: { server: string; code: string }): PairValidation {
  const r = pairRequestSchema.safeParse({ server: input.server.trim(), code: input.code });
  if (r.success) return { ok: true, value: r.data };
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of r.error.issues) {
    const field = issue.path[0] as Field;
    // zod/mini ships no English messages: replace its generic text with ours.
    errors[field] ??= issue.message && issue.message !== 'Invalid input' ? issue.message : FALLBACK[field];
  }
  return { ok: false, errors };
}

export type DomainValidation = { ok: true; domain: string } | { ok: false; error: string };

export function validateDomain(input: string, existing: string[]): DomainValidation {
  const r = domainSchema.safeParse(input);
  if (!r.success) return { ok: false, error: r.error.issues[0]?.message ?? 'must be a host name such as app.example.com' };
  const d = r.data;
  if (d === 'app.base44.com' || d === 'base44.app' || d.endsWith('.base44.app')) return { ok: false, error: 'Base44 hosts are always observed' };
  if (existing.includes(d)) return { ok: false, error: `${d} is already in the list` };
  return { ok: true, domain: d };
}

export const pairedText = (p: PairResult) => `Paired with ${p.workspace.name} as ${p.member.name} (${p.member.role})`;

/** The confirmation shown before unpairing: unsent calls are thrown away with the pairing. */
export function deriveUnpairWarning(s: Status): string {
  const n = s.outbox.count;
  const lost = n > 0 ? `${n} call${n === 1 ? '' : 's'} not yet sent to the server will be discarded.` : 'No unsent calls will be lost.';
  return `Unpair this browser from ${s.pairing?.workspace.name ?? 'the server'}? ${lost}`;
}

const STATE_TEXT: Record<Status['connection']['state'], string> = {
  unpaired: 'Not paired',
  connecting: 'Connecting…',
  live: 'Live — receiving balances and alerts',
  unreachable: 'Server unreachable — retrying',
  revoked: 'Pairing revoked — pair again',
};

export interface ServerStatusView {
  state: Status['connection']['state'];
  stateText: string;
  server?: string;
  since?: string;
  error?: string;
  outbox: string;
  delivery?: string;
  rejected: { at: string; count: number; detail: string }[];
}

export function deriveServerStatus(s: Status): ServerStatusView {
  const c = s.connection;
  const d = s.outbox.delivery;
  const n = s.outbox.count;
  const parts: string[] = [];
  if (d.attempts > 0) parts.push(`${d.attempts} failed attempt${d.attempts === 1 ? '' : 's'}${d.lastError ? `: ${d.lastError}` : ''}`);
  if (n > 0 && d.nextAttemptAt !== undefined && d.nextAttemptAt > s.now) parts.push(`next attempt ${inWords(d.nextAttemptAt - s.now)}`);
  if (d.lastOkAt !== undefined) parts.push(`last delivered ${ago(s.now - d.lastOkAt)}`);
  return {
    state: c.state,
    stateText: STATE_TEXT[c.state],
    server: s.pairing?.server,
    since: c.since > 0 ? ago(s.now - c.since) : undefined,
    error: c.error,
    outbox: n > 0 ? `${n} call${n === 1 ? '' : 's'} waiting to be sent` : 'all observed calls delivered',
    delivery: parts.length ? parts.join(' · ') : undefined,
    rejected: d.rejected.map((r) => ({ at: ago(s.now - r.at), count: r.count, detail: r.detail })),
  };
}

export type PairState = { state: 'idle' } | { state: 'busy' } | { state: 'ok'; text: string } | { state: 'error'; text: string };

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const OptionsModel = createModel((port: OptionsPort) => {
  const q = port.queryParams;
  const status = signal<Status | null>(null);
  const loadError = signal<string | null>(null);
  const server = signal(q.server ?? DEFAULT_SERVER);
  const code = signal(q.code ?? '');
  const fieldErrors = signal<Partial<Record<Field, string>>>({});
  const pairState = signal<PairState>({ state: 'idle' });
  const confirmingUnpair = signal(false);
  const prefsError = signal<string | null>(null);
  const domainInput = signal('');
  const domainError = signal<string | null>(null);
  const busy = signal(false);
  const calibration = signal<{ pool: 'message' | 'integration'; remaining: string; message?: string; ok?: boolean }>({ pool: 'integration', remaining: '' });
  const proposals = signal<PriceProposalView[]>([]);
  const proposalError = signal<string | null>(null);
  let serverTouched = !!q.server;

  const pairStatus = computed(() => {
    const p = pairState.value;
    if (p.state === 'busy') return { tone: 'info', text: 'Pairing…' };
    if (p.state !== 'idle') return { tone: p.state, text: p.text };
    const paired = status.value?.pairing;
    return paired ? { tone: 'ok', text: pairedText(paired) } : { tone: 'info', text: 'Not paired' };
  });
  const serverStatus = computed(() => (status.value ? deriveServerStatus(status.value) : null));
  const unpairWarning = computed(() => (status.value ? deriveUnpairWarning(status.value) : ''));

  let inFlight: Promise<void> | null = null;
  function load(): Promise<void> {
    inFlight ??= port.status().then(
      (s) => {
        status.value = s;
        loadError.value = null;
        if (!serverTouched && s.pairing) server.value = s.pairing.server;
      },
      (e) => void (loadError.value = messageOf(e)),
    ).finally(() => (inFlight = null));
    return inFlight;
  }
  const reload = async () => {
    await inFlight;
    await load();
  };

  async function submitPair(): Promise<void> {
    const v = validatePair({ server: server.value, code: code.value });
    fieldErrors.value = v.ok ? {} : v.errors;
    if (!v.ok) return void (pairState.value = { state: 'idle' });
    pairState.value = { state: 'busy' };
    try {
      const r = await port.pair(v.value);
      pairState.value = { state: 'ok', text: pairedText(r) };
      code.value = '';
    } catch (e) {
      pairState.value = { state: 'error', text: `Pairing failed: ${messageOf(e)}` };
    }
    await reload();
  }

  async function savePrefs(next: Prefs): Promise<void> {
    try {
      await port.setPrefs(next);
      if (status.value) status.value = { ...status.value, prefs: next };
      prefsError.value = null;
    } catch (e) {
      prefsError.value = `Could not save: ${messageOf(e)}`;
    }
  }

  async function loadProposals() {
    const role = status.value?.pairing?.member.role;
    if (role !== 'lead' && role !== 'owner') return void (proposals.value = []);
    try {
      proposals.value = await port.proposals();
      proposalError.value = null;
    } catch (e) {
      proposalError.value = messageOf(e);
    }
  }

  // Runs once (it reads no signal): owned by the model, so the timer stops when the page unmounts.
  effect(() => {
    untracked(() => {
      void load().then(() => loadProposals());
      // The printed link carries server and code: pair once, then forget the one-time code.
      if (q.server && q.code) {
        port.forgetQuery();
        void submitPair();
      }
    });
    const timer = setInterval(() => void load(), OPTIONS_POLL_MS);
    return () => clearInterval(timer);
  });

  return {
    status, loadError, server, code, fieldErrors, pairState, pairStatus, confirmingUnpair, prefsError, domainInput, domainError, busy,
    serverStatus, unpairWarning,
    setServer(v: string) {
      serverTouched = true;
      server.value = v;
    },
    setCode(v: string) {
      code.value = v;
    },
    submitPair,
    askUnpair(ask: boolean) {
      confirmingUnpair.value = ask;
    },
    async unpair() {
      confirmingUnpair.value = false;
      try {
        await port.unpair();
        pairState.value = { state: 'idle' };
      } catch (e) {
        pairState.value = { state: 'error', text: `Unpairing failed: ${messageOf(e)}` };
      }
      await reload();
    },
    async refresh() {
      await port.refresh().catch((e) => (loadError.value = messageOf(e)));
      await reload();
    },
    /** Call from the click/change handler itself: turning local dev on asks for the loopback hosts first. */
    async setPref<K extends keyof Prefs>(key: K, value: Prefs[K]) {
      const prefs = status.value?.prefs;
      if (!prefs) return;
      const next = { ...prefs, [key]: value };
      if (key === 'localDev' && value === true) {
        const asked = port.requestOrigins(LOCAL_DEV_MATCHES);
        const granted = await asked.catch(() => false);
        if (!granted) return void (prefsError.value = 'Access to localhost and 127.0.0.1 was not granted, so base44 dev stays off.');
      }
      await savePrefs(next);
    },
    setDomainInput(v: string) {
      domainInput.value = v;
      domainError.value = null;
    },
    /** Call from the submit handler itself: the host permission is requested before anything is awaited. */
    async addDomain() {
      const v = validateDomain(domainInput.value, status.value?.domains ?? []);
      if (!v.ok) return void (domainError.value = v.error);
      const asked = port.requestOrigins(domainMatches(v.domain));
      busy.value = true;
      try {
        if (!(await asked)) {
          domainError.value = `Access to ${v.domain} was not granted.`;
        } else {
          await port.addDomain(v.domain);
          domainInput.value = '';
          domainError.value = null;
        }
      } catch (e) {
        domainError.value = messageOf(e);
      }
      busy.value = false;
      await reload();
    },
    proposals,
    proposalError,
    loadProposals,
    async decide(p: PriceProposalView, decision: 'accept' | 'dismiss') {
      try {
        await port.proposalAction(p.action, decision, p.proposed);
        proposals.value = proposals.value.filter((x) => x.action !== p.action);
        proposalError.value = null;
      } catch (e) {
        proposalError.value = messageOf(e);
      }
    },
    calibration,
    setCalibration(patch: Partial<{ pool: 'message' | 'integration'; remaining: string }>) {
      calibration.value = { ...calibration.value, ...patch, message: undefined };
    },
    async calibrate() {
      const { pool, remaining } = calibration.value;
      const n = Number(remaining.replace(/,/g, ''));
      if (!remaining.trim() || !Number.isFinite(n) || n < 0 || n > 100_000) {
        calibration.value = { ...calibration.value, message: 'Enter the remaining credits Base44 shows, e.g. 1234.5', ok: false };
        return;
      }
      try {
        await port.calibrate(pool, n);
        calibration.value = { pool, remaining: '', message: `Calibrated: ${n} ${pool} credits left, as of now`, ok: true };
      } catch (e) {
        calibration.value = { ...calibration.value, message: messageOf(e), ok: false };
      }
      await reload();
    },
    async removeDomain(domain: string) {
      try {
        await port.removeDomain(domain);
        domainError.value = null;
      } catch (e) {
        domainError.value = messageOf(e);
      }
      await reload();
    },
  };
});
export type OptionsModel = InstanceType<typeof OptionsModel>;

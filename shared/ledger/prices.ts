// The price table: what each action costs in integration credits (base44-facts.md §2), how certain that is,
// and a lead's overrides. Keys are action names ("Core.InvokeLLM") or prefixes ending in "*" ("connector:*").
// Lookup: an exact key first, then the longest matching prefix; at the same key, a lead's override wins over
// the default (overrides are what balance readings taught the team, e.g. InvokeLLM costing 2 on their model).
export type PriceCertainty = 'docs' | 'estimate' | 'exact' | 'uncertain';

export interface DefaultPrice {
  credits: number;
  certainty: PriceCertainty;
  source: string;
}

export interface PriceOverride {
  credits: number;
  note?: string;
}

export interface EffectivePrice {
  credits: number;
  certainty: PriceCertainty | 'override';
  source: string;
}

export interface PriceMatch extends EffectivePrice {
  /** The table key that matched ("Core.InvokeLLM", "connector:*"); null when nothing did. */
  key: string | null;
}

const FACTS = 'base44-facts.md §2';

export const DEFAULT_PRICES: Record<string, DefaultPrice> = {
  'Core.InvokeLLM': { credits: 1, certainty: 'docs', source: `${FACTS}: 1 by default; since Mar 2026 depends on the app's model` },
  'Core.SendEmail': { credits: 1, certainty: 'docs', source: `${FACTS}: 1; 2 with a custom email domain` },
  'Core.GenerateImage': { credits: 1, certainty: 'estimate', source: `${FACTS}: "uses integration credits", 1 assumed` },
  'Core.UploadFile': { credits: 1, certainty: 'estimate', source: `${FACTS}: "uses integration credits", 1 assumed` },
  'Core.UploadPrivateFile': { credits: 1, certainty: 'estimate', source: `${FACTS}: "uses integration credits", 1 assumed` },
  'Core.CreateFileSignedUrl': { credits: 1, certainty: 'estimate', source: `${FACTS}: "uses integration credits", 1 assumed` },
  'Core.ExtractDataFromUploadedFile': { credits: 1, certainty: 'estimate', source: `${FACTS}: "uses integration credits", 1 assumed` },
  'Core.*': { credits: 1, certainty: 'estimate', source: `${FACTS}: most Core calls cost 1` },
  'installable:*': { credits: 1, certainty: 'estimate', source: `${FACTS}: legacy installable endpoints, priced like Core` },
  'agent.message': { credits: 3, certainty: 'docs', source: `${FACTS}: ~3 on the default model, 5–15 on stronger ones` },
  'agent.whatsapp': { credits: 1, certainty: 'docs', source: `${FACTS}: 1 per WhatsApp message, plus the agent's actions` },
  'ai-gateway': { credits: 1, certainty: 'docs', source: `${FACTS}: metered per call like InvokeLLM` },
  // The real amount is the reply's credits_charged; 0 is only what a call costs before its reply arrives.
  'connector:*': { credits: 0, certainty: 'exact', source: `${FACTS}: the reply's credits_charged` },
  'custom:*': { credits: 0, certainty: 'uncertain', source: `${FACTS}: undocumented, probably 0 (own keys)` },
  sms: { credits: 1, certainty: 'uncertain', source: `${FACTS}: 1 per a third-party source` },
};

const CUSTOM_EMAIL_DOMAIN: EffectivePrice = { credits: 2, certainty: 'docs', source: `${FACTS}: SendEmail from a custom domain costs 2` };

const prefixMatches = (key: string, action: string): boolean => key.endsWith('*') && action.startsWith(key.slice(0, -1));

/** The matching key of a table: exact first, then the longest prefix. */
function bestKey(table: Record<string, unknown>, action: string): string | undefined {
  if (Object.hasOwn(table, action) && !action.endsWith('*')) return action;
  let best: string | undefined;
  for (const key of Object.keys(table)) if (prefixMatches(key, action) && (!best || key.length > best.length)) best = key;
  return best;
}

/** A key's specificity: an exact key beats every prefix, a longer prefix beats a shorter one. */
const rank = (key: string | undefined): number => (key === undefined ? -1 : key.endsWith('*') ? key.length : Infinity);

const fromOverride = (o: PriceOverride): EffectivePrice => ({ credits: o.credits, certainty: 'override', source: o.note ?? 'price table override' });

export function priceFor(
  action: string,
  overrides: Record<string, PriceOverride | null> = {},
  opts: { customEmailDomain?: boolean } = {},
): PriceMatch {
  const live = Object.fromEntries(Object.entries(overrides).filter(([, o]) => o != null)) as Record<string, PriceOverride>;
  const o = bestKey(live, action);
  const d = bestKey(DEFAULT_PRICES, action);
  if (o !== undefined && rank(o) >= rank(d)) return { ...fromOverride(live[o]), key: o };
  if (d === undefined) return { credits: 0, certainty: 'uncertain', source: 'unknown action: no price known', key: null };
  if (d === 'Core.SendEmail' && opts.customEmailDomain) return { ...CUSTOM_EMAIL_DOMAIN, key: d };
  return { ...DEFAULT_PRICES[d], key: d };
}

/** The effective table for display: every default, with overrides replacing or adding keys (null removes nothing). */
export function mergePrices(
  defaults: Record<string, DefaultPrice> = DEFAULT_PRICES,
  overrides: Record<string, PriceOverride | null> = {},
): Record<string, EffectivePrice> {
  const out: Record<string, EffectivePrice> = {};
  for (const [key, p] of Object.entries(defaults)) out[key] = { ...p };
  for (const [key, o] of Object.entries(overrides)) if (o != null) out[key] = fromOverride(o);
  return out;
}

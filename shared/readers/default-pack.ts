// The pack the server serves until an owner installs another (PUT /api/v1/pattern-pack). Written against
// the credit panel and Credit usage page as Base44 documents them (base44-facts §4); the exact DOM is not
// public, so these are deliberately loose: any element whose text says "N message credits left",
// "Message credits: 12 / 250", "1.2k integration credits remaining", and the like.
import type { PatternPack } from './pack';

const N = '[0-9][0-9.,\\s\\u00a0\\u202f\']*[kKmM]?';

export const DEFAULT_PACK: PatternPack = {
  version: 1,
  updatedAt: '2026-11-24T00:00:00Z',
  decimal: { en: '.', de: ',', fr: ',', es: ',', pt: ',', it: ',', nl: ',' },
  poolWords: { message: ['message', 'messages', 'Nachrichten', 'mensajes', 'messages'], integration: ['integration', 'integrations', 'Integrationen', 'integraciones', 'intégration', 'intégrations'] },
  text: [
    {
      id: 'credits-left',
      page: 'editor',
      selector: '[data-testid*="credit" i], [class*="credit" i], [aria-label*="credit" i]',
      patterns: [
        // "12 / 250 message credits left", "12 of 250 integration credits remaining"
        `(?<remaining>${N})\\s*(?:/|of|von|de|sur)\\s*(?<limit>${N})\\s+(?<pool>\\p{L}+)\\s+credits?`,
        // "Message credits: 12 / 250"
        `(?<pool>\\p{L}+)\\s+credits?\\s*[:·]?\\s*(?<remaining>${N})\\s*(?:/|of)\\s*(?<limit>${N})`,
        // "12.5 message credits left", "1.2k integration credits remaining"
        `(?<remaining>${N})\\s+(?<pool>\\p{L}+)\\s+credits?\\s+(?:left|remaining|available|übrig|restantes)`,
      ],
    },
    {
      id: 'credit-usage-page',
      page: 'settings',
      selector: '[data-testid*="credit" i], [class*="credit" i], section, tr',
      patterns: [
        `(?<pool>\\p{L}+)\\s+credits?\\D{0,40}?(?<used>${N})\\s*(?:/|of)\\s*(?<limit>${N})\\s+used`,
        `(?<remaining>${N})\\s*(?:/|of)\\s*(?<limit>${N})\\s+(?<pool>\\p{L}+)\\s+credits?\\s+(?:left|remaining)`,
      ],
    },
  ],
  promptCost: { selector: '[data-testid*="credits-used" i], [class*="credits-used" i]', patterns: [`Credits\\s+Used\\s*[:·]?\\s*(?<used>${N})`] },
  discussMode: '[data-mode="discuss"], [aria-pressed="true"][data-testid*="discuss" i]',
  json: [
    { id: 'credits-endpoint', path: '/credits|/usage|/billing', pools: [{ pool: 'message', remaining: 'message_credits.remaining', limit: 'message_credits.limit' }, { pool: 'integration', remaining: 'integration_credits.remaining', limit: 'integration_credits.limit' }] },
  ],
};

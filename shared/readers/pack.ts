// The pattern pack: how to read the balances Base44 shows, as data rather than code. Base44's DOM and private
// replies are not public and will change; the server serves the current pack and the extension caches it,
// so updating the pack on the server fixes every installed extension without a release.
// Text patterns are regular expressions with named groups: `remaining`, `limit`, `used` (numbers as the UI
// writes them, see numbers.ts) and optionally `pool` (a word matched against `poolWords`).
import * as z from 'zod/mini';

const regexSource = z.string().check(
  z.minLength(1),
  z.maxLength(500),
  z.refine((s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  }, { error: 'must be a valid regular expression' }),
);
const selector = z.string().check(z.minLength(1), z.maxLength(300));
const pool = z.enum(['message', 'integration']);

export const textRuleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/)),
  /** Where it applies: `editor` (app.base44.com/apps/<id>/…) or `settings` (workspace settings → Credit usage). */
  page: z.enum(['editor', 'settings']),
  /** Elements whose text is read. */
  selector,
  /** Tried in order on each element's text; the first match wins. */
  patterns: z.array(regexSource).check(z.minLength(1), z.maxLength(20)),
  /** The pool when the pattern has no `pool` group. */
  pool: z.optional(pool),
});
export type TextRule = z.infer<typeof textRuleSchema>;

export const patternPackSchema = z.strictObject({
  version: z.int().check(z.gte(1)),
  updatedAt: z.string().check(z.maxLength(40)),
  /** The UI language's decimal mark, per language code ("en" → "."). */
  decimal: z.record(z.string().check(z.regex(/^[a-z]{2}$/)), z.enum(['.', ','])),
  /** Words that name each pool, in every language the UI ships. */
  poolWords: z.strictObject({ message: z.array(z.string()), integration: z.array(z.string()) }),
  text: z.array(textRuleSchema).check(z.maxLength(50)),
  /** A prompt's own cost, as the editor shows it under More Actions → "Credits Used". */
  promptCost: z.optional(z.strictObject({ selector, patterns: z.array(regexSource).check(z.minLength(1), z.maxLength(10)) })),
  /** Present while the editor is in Discuss mode (its prompts are `builder.discuss`). */
  discussMode: z.optional(selector),
  /** JSON replies the Base44 web app receives that carry balances: a path pattern and where the numbers are. */
  json: z.array(z.strictObject({
    id: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/)),
    path: regexSource,
    pools: z.array(z.strictObject({ pool, remaining: z.optional(z.string()), limit: z.optional(z.string()), used: z.optional(z.string()) })),
  })).check(z.maxLength(20)),
});
export type PatternPack = z.infer<typeof patternPackSchema>;

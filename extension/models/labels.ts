// How credits, actions and names read in the popup and options pages. Pure: the same input always gives the
// same text, so derive functions (and their tests) stay deterministic.

/** Remaining credits round down (never promise credits that are not there): 8412.96 → "8,412.9". */
export function creditsDown(n: number): string {
  const v = Math.max(0, Math.floor(n * 10) / 10);
  return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** Spent credits as recorded: 4 → "4", 0.5 → "0.5", 1.25 → "1.25", 12000 → "12,000". */
export function creditsText(n: number): string {
  return (Math.round(n * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** "Core.InvokeLLM" → "InvokeLLM", "agent.message" → "agent message", "connector:slack" → "slack connector". */
export function actionLabel(action: string): string {
  if (action.startsWith('Core.')) return action.slice(5);
  if (action === 'agent.message') return 'agent message';
  if (action === 'builder.prompt') return 'prompt';
  if (action === 'builder.discuss') return 'Discuss message';
  if (action === 'unobserved') return 'not seen (live users, backends)';
  if (action === 'ai-gateway') return 'AI gateway';
  if (action.startsWith('connector:')) return `${action.slice(10)} connector`;
  if (action.startsWith('installable:')) return action.slice(12);
  if (action.startsWith('custom:')) return action.slice(7);
  return action;
}

/** A member or app id as its name when the team view knows it; the id otherwise. */
export function nameOf(names: Record<string, string> | undefined, id: string | undefined): string {
  if (!id) return 'unknown';
  return names?.[id] ?? id;
}

export const POOL_LABELS = { message: 'Message credits', integration: 'Integration credits' } as const;

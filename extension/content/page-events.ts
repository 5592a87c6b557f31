// Batches that the page's main world sends the content script (the hook's calls, the balance replies it
// read): a JSON array in a CustomEvent's detail. The page can forge these events, so size, JSON and shape are
// checked here once for every kind; each item is then validated by its own handler.
export function onPageBatch(doc: Document, type: string, limits: { maxChars: number; maxItems: number }, handle: (items: unknown[]) => void): void {
  doc.addEventListener(type, (e) => {
    const detail = (e as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > limits.maxChars) return;
    let raw: unknown;
    try {
      raw = JSON.parse(detail);
    } catch {
      return;
    }
    if (Array.isArray(raw)) handle(raw.slice(0, limits.maxItems));
  });
}

// Event and flow ids for one page: a random 20-character prefix drawn once, then a counter. Unique across
// pages and devices (2^80 prefixes) without drawing randomness for every call; always 8–64 of [A-Za-z0-9_-].
export function idMaker(randomHex: string): () => string {
  const prefix = randomHex.replace(/[^0-9a-f]/gi, '').slice(0, 20).padEnd(20, '0');
  let n = 0;
  return () => `${prefix}_${(n++).toString(36)}`;
}

// The idempotency index of one workspace's events: is this event id already stored? It holds every id in
// retention (millions), and ingest asks once per event, so it is an open-addressing hash table in typed
// arrays rather than a Set<string>: no per-entry heap objects for the garbage collector to trace (the Set
// cost ingest a quarter of its throughput in `npm run bench`), and the ids themselves are not stored twice —
// a slot holds the event's position in the list, and a hash match is confirmed against the list's id.
const EMPTY = 0;

/** FNV-1a over UTF-16 code units; ids are short ASCII. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class IdIndex {
  /** Position in the list + 1; 0 = empty slot. */
  private slots: Int32Array;
  private hashes: Uint32Array;
  private mask: number;
  size = 0;

  constructor(
    /** The id of the event at a list position. */
    private readonly idAt: (pos: number) => string,
    capacity = 1024,
  ) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(n);
    this.hashes = new Uint32Array(n);
    this.mask = n - 1;
  }

  /** An index over an existing list; `idAt` should read the list through its owner if it can be replaced. */
  static of(ids: readonly { id: string }[], idAt: (pos: number) => string = (pos) => ids[pos].id): IdIndex {
    const index = new IdIndex(idAt, ids.length);
    for (let i = 0; i < ids.length; i++) index.add(ids[i].id, i);
    return index;
  }

  has(id: string): boolean {
    const h = hashOf(id);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const v = this.slots[s];
      if (v === EMPTY) return false;
      if (this.hashes[s] === h && this.idAt(v - 1) === id) return true;
    }
  }

  /** Records that the event at list position `pos` has this id, unless the id is known: then false. */
  add(id: string, pos: number): boolean {
    const h = hashOf(id);
    let s = h & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const v = this.slots[s];
      if (v === EMPTY) break;
      if (this.hashes[s] === h && this.idAt(v - 1) === id) return false;
    }
    this.slots[s] = pos + 1;
    this.hashes[s] = h;
    if (++this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  private grow(): void {
    const { slots, hashes } = this;
    const n = slots.length * 2;
    this.slots = new Int32Array(n);
    this.hashes = new Uint32Array(n);
    this.mask = n - 1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === EMPTY) continue;
      let s = hashes[i] & this.mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
      this.slots[s] = slots[i];
      this.hashes[s] = hashes[i];
    }
  }
}

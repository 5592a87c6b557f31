// Serialises read-modify-write sequences on storage within one worker: two messages arriving together must
// not both read the outbox, append, and have one write lose the other's events.
export function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const next = tail.then(fn, fn);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

// Names JavaScript objects already have: never accepted as ids, so no id can reach an object's prototype.
// Its own file, without zod, because the page hook (bundled into every Base44 page) needs it too.
export const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

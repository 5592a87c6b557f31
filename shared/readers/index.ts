// Reading the balances Base44 shows: numbers as written, the pattern pack, the reader, plausibility.
export * from './numbers';
export * from './pack';
export * from './default-pack';
export * from './read';
export * from './judge';

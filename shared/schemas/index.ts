// Every schema, from one import: routes, the store and the extension share these.
export * from './common';
export * from './events';
export * from './events-fast';
export * from './readings';
export * from './grants';
export * from './balance';
export * from './workspace';
export * from './auth';
export * from './queries';
export * from './alerts';
export * from './monitoring';
export { patternPackSchema, type PatternPack } from '../readers/pack';

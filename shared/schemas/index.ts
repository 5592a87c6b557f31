export * from './common';
export * from './events';
export * from './readings';
export * from './grants';
export * from './balance';
export * from './workspace';
export * from './auth';
export * from './queries';

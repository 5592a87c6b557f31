// The ledger: pure functions from plain data (types.ts) to balances, forecasts, reconciliations and breakdowns.
export * from './types';
export * from './time';
export * from './credits';
export * from './plans';
export * from './cycles';
export * from './routing';
export * from './drawdown';
export * from './forecast';
export * from './balance';
export * from './reconcile';
export * from './prices';
export * from './price-learning';
export * from './usage';

export * from './settings';
export * from './state';
export * from './storage';
export * from './schedule';
export * from './rules-in-force';
export * from './run-sync';
export * from './runner';

export * from './failure';
export * from './base-url';
export * from './cookie-jar';
export * from './transport';
export * from './shapes';
export * from './retry-after';
export * from './client';

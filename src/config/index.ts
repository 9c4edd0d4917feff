export * from './settings-schema';
export * from './setting-value';
export * from './managed-policy';
export * from './local-settings';
export * from './merge-settings';
export * from './policy-credential';
export * from './redact-settings';
export * from './managed-rules';

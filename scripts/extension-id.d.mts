// Types for scripts/extension-id.mjs (a plain Node script, also imported by tests).
export declare function extensionIdFromDer(der: Uint8Array): string;
export declare function extensionIdFromManifestKey(base64Key: string): string;
export declare function extensionIdFromPem(pem: string): string;
export declare function projectExtensionId(manifestPath?: string): string;

import type { PluginOption } from 'vite';

/** Rebuilds the worker of the extension in distDir (built for `target`) as one self-contained classic script (and the manifest says so). */
export function bundleWorker(root: string, distDir: string, target: 'chrome' | 'firefox', plugins?: PluginOption[]): Promise<void>;

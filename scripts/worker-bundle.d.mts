import type { PluginOption } from 'vite';

/** Rebuilds the worker of the extension in distDir (built for `target`) as one self-contained module. */
export function bundleWorker(root: string, distDir: string, target: 'chrome' | 'firefox', plugins?: PluginOption[]): Promise<void>;

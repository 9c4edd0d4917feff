// Types for scripts/bundle-sizes.mjs (a plain Node script, also imported by tests).
export interface SizeRow {
  target: string;
  entry: string;
  own: number;
  total: number;
  budget: number | null;
  files: string[];
}
export declare const BUDGETS: { background: number; popup: number; options: number };
export declare function entryFiles(distDir: string): Record<string, string[]>;
export declare function withStaticImports(distDir: string, file: string, seen?: Set<string>): Set<string>;
export declare function gzipSize(distDir: string, file: string): number;
export declare function sizeTable(distDir: string, target: string): SizeRow[];
export declare function kb(bytes: number): string;
export declare function overBudget(rows: SizeRow[]): SizeRow[];

// Types of scripts/dist.mjs (plain JavaScript so that bin/mmm.js loads it without a compiler) for TypeScript callers.
export declare const ROOT: string;
export declare const DIST_DIR: string;
export declare const DIST_CLI: string;
export declare const BUILD_STAMP: string;
export declare const SOURCES: string[];
export declare function newestSourceChange(root?: string): number;
export declare function distIsCurrent(root?: string): boolean;

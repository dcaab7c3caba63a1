import type { ESLint } from 'eslint';

export declare const ALLOWED_DEPENDENCIES: Readonly<Record<string, readonly string[]>>;
declare const plugin: ESLint.Plugin;
export default plugin;

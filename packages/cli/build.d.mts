/** Builds the CLI bundle now; resolves with the build folder's name under dist/. */
export function buildCli(): Promise<string>;
/** The built CLI's `main`, rebuilding first when a source of the last build changed. */
export function ensureBuilt(): Promise<(argv: readonly string[]) => Promise<number>>;

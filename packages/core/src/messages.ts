/** The replies moved to packages/core/src/replies/; this path stays for imports not yet moved. */
export * from './replies/index.js';

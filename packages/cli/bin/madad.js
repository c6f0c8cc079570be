#!/usr/bin/env node
// The `madad` command: runs the CLI bundle that build.mjs made with esbuild (built on the first run and
// again whenever a source it was built from changed), so no TypeScript is compiled at each start.
import { ensureBuilt } from '../build.mjs';

let main;
try {
  main = await ensureBuilt();
} catch (error) {
  // esbuild's errors name the file and line; one line each, no stack trace.
  const messages = error.errors?.map((e) => `${e.location?.file}:${e.location?.line}: ${e.text}`);
  console.error(`madad: the CLI could not be built: ${messages?.join('\n') ?? error.message}`);
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));

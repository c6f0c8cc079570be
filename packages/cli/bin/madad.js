#!/usr/bin/env node
// The `madad` command: runs the CLI bundle that build.mjs made with esbuild (built on the first run and
// again whenever a source it was built from changed), so no TypeScript is compiled at each start.
import { ensureBuilt } from '../build.mjs';

// No stack trace reaches the operator, even from work a command left running; MADAD_DEBUG=1 shows it.
const fail = (error) => {
  console.error(`madad: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.MADAD_DEBUG) console.error(error);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// `madad ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => (error.code === 'EPIPE' ? process.exit(0) : fail(error)));

// engines says Node 22.12+; npx and npm scripts find the pinned one (the `node` dev dependency) first.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  fail(
    new Error(
      `needs Node.js 22.12 or newer, not ${process.version}: run it as 'npx madad' after npm install`,
    ),
  );
}

let main;
try {
  main = await ensureBuilt();
} catch (error) {
  // esbuild's errors name the file and line; one line each.
  const messages = error.errors?.map((e) => `${e.location?.file}:${e.location?.line}: ${e.text}`);
  fail(new Error(`the CLI could not be built: ${messages?.join('\n') ?? error.message}`));
}
process.exitCode = await main(process.argv.slice(2));

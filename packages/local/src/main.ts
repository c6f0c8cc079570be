import { setCrashHook } from '@madad/core';
import { formatBanner } from './banner.js';
import { DEMO_CNIC } from './seed.js';
import { startLocalStack } from './stack.js';
import { resolveDataDir } from './state.js';

// Fault rehearsals and crash tests: `MADAD_CRASH_AT=<point>` kills this process (SIGKILL, no cleanup)
// the first time a money flow reaches that named crash point.
const crashAt = process.env.MADAD_CRASH_AT;
if (crashAt) {
  setCrashHook((point) => {
    if (point === crashAt) process.kill(process.pid, 'SIGKILL');
  });
}

// `npm start`: the embedded stack in the foreground until Ctrl-C.
const stack = await startLocalStack({
  dataDir: resolveDataDir(),
  port: Number(process.env.PORT || 3000),
  seed: true,
  // The database and the queues on other cores than the handlers (measured: docs/performance.md,
  // "Surge latency (session 6)").
  emulatorProcesses: process.env.MADAD_EMULATORS_IN_PROCESS !== 'on',
  log: (line) => console.log(line),
  // For fault rehearsals and tests: redelivery in seconds instead of minutes.
  ...(Number(process.env.MADAD_VISIBILITY_TIMEOUT_SECONDS) > 0
    ? { visibilityTimeoutSeconds: Number(process.env.MADAD_VISIBILITY_TIMEOUT_SECONDS) }
    : {}),
});
console.log(formatBanner({ stack, demoCnic: DEMO_CNIC, nowSeconds: Math.floor(Date.now() / 1000) }));

let stoppingSince: number | undefined;
const shutdown = (signal: NodeJS.Signals) => {
  if (stoppingSince !== undefined) {
    // tsx relays the terminal's Ctrl-C, so one keypress can arrive twice; only a later one forces exit.
    if (Date.now() - stoppingSince < 1000) return;
    console.error(`\n${signal} again: exiting without waiting.`);
    process.exit(130);
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: draining the pollers and closing the emulators...`);
  stack.stop().then(
    () => {
      console.log('Stopped. Data kept in', stack.dataDir);
      process.exit(0);
    },
    (error: unknown) => {
      console.error('Stopped with an error:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

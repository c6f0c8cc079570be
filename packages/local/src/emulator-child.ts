import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { type EmulatorProcessReady, emulatorPidFile, isEmulatorKind } from './emulator-process.js';
import { type RunningEmulator, startDynamoDbEmulator, startSqsEmulator } from './emulators.js';

// The entry of one emulator's own process (`startEmulatorProcess`): `<kind> <dataDir> [region]`.
// It serves until its parent says `stop` or goes away (the stack killed): then it exits at once,
// so a restarted stack can take the data folder (LevelDB's lock, SQLite's file) again.
const [kind, dataDir, region] = process.argv.slice(2);
if (!isEmulatorKind(kind) || !dataDir || !process.send) {
  console.error('usage: emulator-child.ts dynamodb|sqs <dataDir> [region], forked with an IPC channel');
  process.exit(2);
}
// Ctrl-C reaches the whole process group: the stack drains its pollers first and then stops us.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const pidFile = emulatorPidFile(dataDir, kind);
let emulator: RunningEmulator | undefined;
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  const closing = emulator ? emulator.stop() : Promise.resolve();
  closing
    .then(() => rm(pidFile, { force: true }))
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${kind} emulator: stop failed:`, error);
        process.exit(1);
      },
    );
});

try {
  emulator =
    kind === 'dynamodb'
      ? await startDynamoDbEmulator({ dataDir })
      : await startSqsEmulator({ dataDir, ...(region ? { region } : {}) });
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  const ready: EmulatorProcessReady = { endpoint: emulator.endpoint, address: emulator.address };
  process.send(ready);
} catch (error) {
  process.send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

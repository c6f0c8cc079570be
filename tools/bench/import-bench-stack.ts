import { startLocalStack } from '@madad/local';

// The embedded stack in a process of its own, as `npm start` runs it next to `npx madad import`, so the
// bench measures the importer and DynamoDB on separate cores (this machine has two). Prints the
// stack's environment as one JSON line, then runs until SIGTERM.
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: import-bench-stack.ts DATA_DIR');
const stack = await startLocalStack({ dataDir, port: 0, pollers: false, seed: false, log: () => undefined });
process.stdout.write(`${JSON.stringify({ env: stack.env })}\n`);
process.on('SIGTERM', () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

// dynalite in a process of its own (so compare.ts can read its memory and CPU time), configured as
// packages/local/src/emulators.ts starts it inside the stack: LevelDB under argv[2], tables ACTIVE at
// once, bound to 127.0.0.1 on port argv[3].
import dynalite from 'dynalite';

const [path, port] = process.argv.slice(2);
if (!path || !port) throw new Error('usage: node dynalite-server.mjs <leveldb-path> <port>');
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(port), '127.0.0.1', () => console.log('dynalite listening on 127.0.0.1'));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

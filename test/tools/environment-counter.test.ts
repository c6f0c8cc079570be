import { queueEnvName, tableEnvName, tables } from '@madad/adapters';
import { describe, expect, it } from 'vitest';
import { environmentCounterOptions } from '../../tools/bench/environment-counter.js';

const env = {
  [tableEnvName('operations')]: 'madad-ops-1234',
  [queueEnvName('registrations')]: 'http://127.0.0.1:4566/000000000000/madad-registrations',
};

describe("the bench's call counter names what the stack's environment names", () => {
  const options = environmentCounterOptions(env);

  it('reads a table name back to its id and its indexes back to their partition keys', () => {
    expect(options.tableId('madad-ops-1234')).toBe('operations');
    expect(options.indexKeys('madad-ops-1234')).toEqual(
      tables.operations.indexes.map((index) => index.partitionKey),
    );
  });

  it('reads a queue URL back to its id, and its dead-letter queue as <id>-dlq', () => {
    expect(options.queueId('http://127.0.0.1:4566/000000000000/madad-registrations')).toBe('registrations');
    expect(options.queueId('http://127.0.0.1:4566/000000000000/madad-registrations-dlq')).toBe(
      'registrations-dlq',
    );
  });

  it('leaves a name it does not know as it is', () => {
    expect(options.tableId('other-table')).toBe('other-table');
    expect(options.queueId('http://127.0.0.1:4566/000000000000/other')).toBe('other');
  });
});

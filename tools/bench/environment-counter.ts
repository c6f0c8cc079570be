import { type QueueId, queueEnvName, queues, tableEnvName, tables } from '@madad/adapters';
import { type CounterOptions, SdkCallCounter } from './sdk-call-counter.js';

/**
 * A call counter for the stack this process runs: table names and queue URLs are read back to their
 * ids (and each index's partition key) from the `MADAD_TABLE_*` / `MADAD_QUEUE_*` environment the
 * stack set, so counts are by table, index and queue id (a dead-letter queue as `<id>-dlq`).
 */
export function counterForEnvironment(): SdkCallCounter {
  return new SdkCallCounter(environmentCounterOptions(process.env));
}

/** How `counterForEnvironment` names tables, indexes and queues, from a stack's environment. */
export function environmentCounterOptions(env: NodeJS.ProcessEnv): CounterOptions {
  const tableIds = (): Record<string, string> =>
    Object.fromEntries(
      Object.entries(env)
        .filter(([name]) => name.startsWith('MADAD_TABLE_'))
        .map(([name, value]) => [
          String(value),
          Object.keys(tables).find((id) => tableEnvName(id as never) === name) ?? name,
        ]),
    );
  return {
    tableId: (name) => tableIds()[name] ?? name,
    indexKeys: (name) => {
      const id = tableIds()[name] as keyof typeof tables | undefined;
      return id && tables[id] ? tables[id].indexes.map((index) => index.partitionKey) : [];
    },
    queueId: (url) => {
      const name = url.split('/').pop() ?? url;
      for (const id of Object.keys(queues) as QueueId[]) {
        const own = (env[queueEnvName(id)] ?? '').split('/').pop();
        if (own === name) return id;
        if (own && name === own.replace(new RegExp(`${id}$`), `${id}-dlq`)) return `${id}-dlq`;
      }
      return name;
    },
  };
}

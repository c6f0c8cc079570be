import { describe, expect, it } from 'vitest';
import { queues } from '../../packages/adapters/src/resources.js';
import { localBatchSize } from '../../packages/local/src/stack.js';

describe('the batch a local poller takes from a queue', () => {
  it('is 25 registrations, so 4 local consumers hold about as many messages in flight a second of arrivals as the cloud does', () => {
    expect(localBatchSize(queues.registrations)).toBe(25);
    // The cloud's event source keeps its own (test/infra/madad-stack.test.ts reads it from the spec).
    expect(queues.registrations.batchSize).toBe(100);
  });

  it("is the cloud's for every queue that names no local batch", () => {
    for (const spec of Object.values(queues).filter((q) => q.id !== 'registrations')) {
      expect(localBatchSize(spec)).toBe(spec.batchSize);
    }
  });
});

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invokingFunction } from '@madad/local/handlers';
import { CallCapture, replayCalls } from '../db-replay.js';

/**
 * The activation's raw database reference for `npm run bench -- --scale`, as the main bench defines
 * it: the activation worker's own DynamoDB calls, captured as sent during the run (the same capture
 * as `npm run bench`'s replay, `db-replay.ts`), replayed straight to the emulator, writes then reads,
 * at the concurrency the worker reached. Only calls made inside an activation-worker invocation are
 * captured (the embedded stack runs every handler in one process with shared clients), so the API's
 * progress polling is not part of it. SQS calls (the next page, notices) are not in the reference.
 */
export class ActivationCallCapture {
  private readonly capture = new CallCapture();
  private on = false;
  private inFlight = 0;
  /** The most DynamoDB calls the worker had in flight at once while capturing. */
  peakInFlight = 0;
  /** Calls in flight, averaged over the capture (set by `stop`); the replay runs at the peak. */
  meanInFlight = 0;
  private area = 0;
  private changedAt = 0;
  private startedAt = 0;

  /** Adds the time since the last change at the current count, then moves the count by `delta`. */
  private move(delta: number): void {
    const now = performance.now();
    this.area += this.inFlight * (now - this.changedAt);
    this.changedAt = now;
    this.inFlight += delta;
  }

  constructor(client: DynamoDBClient | DynamoDBDocumentClient, fn = 'activation-worker') {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        if (!this.on || invokingFunction() !== fn) return next(args);
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        this.move(1);
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        try {
          const result = await next(args);
          this.capture.record({ operation, input, ok: true });
          return result;
        } catch (error) {
          this.capture.record({ operation, input, ok: false });
          throw error;
        } finally {
          this.move(-1);
        }
      },
      // After the document client's marshalling: the calls as they go on the wire.
      { step: 'build', name: 'activationReferenceCapture', priority: 'low' },
    );
  }

  start(): void {
    this.capture.take();
    this.peakInFlight = 0;
    this.area = 0;
    this.startedAt = performance.now();
    this.changedAt = this.startedAt;
    this.on = true;
  }

  stop(): ReturnType<CallCapture['take']> {
    this.on = false;
    this.move(0);
    this.meanInFlight = this.area / Math.max(1, this.changedAt - this.startedAt);
    return this.capture.take();
  }
}

export interface ActivationReplay {
  readonly calls: number;
  readonly errors: number;
  readonly concurrency: number;
  readonly seconds: number;
}

/** The captured calls replayed raw: writes on fresh keys, then reads, `concurrency` at a time. */
export async function replayActivationCalls(
  client: DynamoDBClient | DynamoDBDocumentClient,
  calls: ReturnType<CallCapture['take']>,
  concurrency: number,
): Promise<ActivationReplay> {
  const writes = await replayCalls(client, calls, 'writes', concurrency);
  const reads = await replayCalls(client, calls, 'reads', concurrency);
  return {
    calls: writes.calls + reads.calls,
    errors: writes.errors + reads.errors,
    concurrency,
    seconds: writes.seconds + reads.seconds,
  };
}

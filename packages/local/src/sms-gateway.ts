import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import * as z from 'zod';
import type { LocalRoute, LocalRouteResponse } from './http-bridge.js';
import { GatewayDeliveryLog } from './sms-gateway-log.js';

/** Where the stack's HTTP server serves the gateway. */
export const SMS_GATEWAY_PATH = '/_gateway/sms';

export interface SmsGatewayOptions {
  /** The delivery log is `<dataDir>/sms-gateway.ndjson`. */
  readonly dataDir: string;
  /** The bearer key every request must carry. */
  readonly apiKey: string;
  /** Share of sends refused with 503, read on every request so a fault test can change it. */
  readonly failRate: () => number;
}

/** The running gateway: one handler for `POST` (send) and `GET` (the delivery log) on its path. */
export interface SmsGateway {
  readonly handle: LocalRoute;
  close(): Promise<void>;
}

const SendSchema = z.object({
  to: z.string().min(3).max(32),
  text: z.string().min(1).max(1600),
  clientReference: z.string().min(1).max(200),
});

/** Many messages in one request (up to 100), each with its own client reference and its own answer. */
const SendManySchema = z.object({ messages: z.array(SendSchema).min(1).max(100) });

const ListQuerySchema = z.object({
  to: z.string().min(1).max(32).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

/**
 * The local SMS aggregator: the contract the sender relies on in the cloud, kept for real on loopback.
 * `POST {to, text, clientReference}` with `Authorization: Bearer <key>` answers `200 {id}`; a client
 * reference is accepted once, and a repeat gets the first message's id without a second delivery.
 * `POST {messages: [...]}` takes up to 100 at once and answers `{results: [{clientReference, status,
 * id}]}`, each message on its own. `GET ?to=<phone>&limit=N` lists what was delivered, newest first. Nothing leaves the machine.
 */
export async function openSmsGateway(options: SmsGatewayOptions): Promise<SmsGateway> {
  const log = await GatewayDeliveryLog.open(join(options.dataDir, 'sms-gateway.ndjson'));
  const expectedKey = digest(options.apiKey);
  return {
    async handle(request, body) {
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(presented), expectedKey)) return message(401, 'Unauthorized');
      if (request.method === 'GET') return list(log, request);
      if (request.method !== 'POST') return message(405, 'Method Not Allowed');
      const rate = options.failRate();
      const json = parseJson(body);
      const many = SendManySchema.safeParse(json);
      if (many.success) {
        // Each message succeeds or fails on its own (a failing gateway refuses some of a request).
        const results = await Promise.all(
          many.data.messages.map(async (m) =>
            rate > 0 && Math.random() < rate
              ? { clientReference: m.clientReference, status: 503 }
              : { clientReference: m.clientReference, status: 200, id: (await log.accept(m)).id },
          ),
        );
        return { status: 200, body: { results } };
      }
      if (rate > 0 && Math.random() < rate) return message(503, 'Gateway unavailable (MADAD_SMS_FAIL_RATE)');
      const parsed = SendSchema.safeParse(json);
      if (!parsed.success)
        return message(400, 'Expected JSON {to, text, clientReference} or {messages: [up to 100 of them]}');
      const { id } = await log.accept(parsed.data);
      return { status: 200, body: { id } };
    },
    close: () => log.close(),
  };
}

async function list(log: GatewayDeliveryLog, request: IncomingMessage): Promise<LocalRouteResponse> {
  const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
  const parsed = ListQuerySchema.safeParse({
    to: query.get('to') ?? undefined,
    limit: query.get('limit') ?? undefined,
  });
  if (!parsed.success) return message(400, 'Query: to=<phone> (optional), limit=1..1000');
  const items = await log.list(parsed.data.to, parsed.data.limit);
  return {
    status: 200,
    body: { ...(parsed.data.to ? { to: parsed.data.to } : {}), count: items.length, items },
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

// Equal-length digests, so comparing them says nothing about the key's length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function message(status: number, text: string): LocalRouteResponse {
  return { status, body: { message: text } };
}

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

const ListQuerySchema = z.object({
  to: z.string().min(1).max(32).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

/**
 * The local SMS aggregator: the contract the sender relies on in the cloud, kept for real on loopback.
 * `POST {to, text, clientReference}` with `Authorization: Bearer <key>` answers `200 {id}`; a client
 * reference is accepted once, and a repeat gets the first message's id without a second delivery.
 * `GET ?to=<phone>&limit=N` lists what was delivered, newest first. Nothing leaves the machine.
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
      if (rate > 0 && Math.random() < rate) return message(503, 'Gateway unavailable (MADAD_SMS_FAIL_RATE)');
      const parsed = SendSchema.safeParse(parseJson(body));
      if (!parsed.success) return message(400, 'Expected JSON {to, text, clientReference}');
      const { id } = await log.accept(parsed.data);
      return { status: 200, body: { id } };
    },
    close: () => log.close(),
  };
}

function list(log: GatewayDeliveryLog, request: IncomingMessage): LocalRouteResponse {
  const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
  const parsed = ListQuerySchema.safeParse({
    to: query.get('to') ?? undefined,
    limit: query.get('limit') ?? undefined,
  });
  if (!parsed.success) return message(400, 'Query: to=<phone> (optional), limit=1..1000');
  const items = log.list(parsed.data.to, parsed.data.limit);
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

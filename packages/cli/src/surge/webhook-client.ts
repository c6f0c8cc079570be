import http from 'node:http';
import https from 'node:https';
import { signWebhook } from '@madad/core';

/** What an SMS aggregator posts to `POST /sms/inbound`. */
export interface InboundSms {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly messageId: string;
  readonly receivedAt?: string;
}

/** Posts signed SMS over keep-alive connections, as an aggregator would. */
export interface WebhookClient {
  /** The HTTP status, or 0 when the connection failed. */
  post(sms: InboundSms): Promise<number>;
  close(): void;
}

/**
 * A client of the SMS webhook at `baseUrl`, signing each body with `secret` (`X-Madad-Signature`) and
 * keeping up to `connections` sockets open. Uses `node:http` directly: `fetch` costs several times the
 * CPU per request, which would make the load generator the bottleneck on a small machine.
 */
export function createWebhookClient(options: {
  baseUrl: string;
  secret: string;
  connections: number;
}): WebhookClient {
  const url = new URL(`${options.baseUrl.replace(/\/$/, '')}/sms/inbound`);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.connections });
  return {
    post(sms) {
      const body = JSON.stringify(sms);
      const signature = signWebhook(options.secret, Math.floor(Date.now() / 1000), body);
      return new Promise((resolve) => {
        const request = transport.request(
          url,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'x-madad-signature': signature,
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
            response.on('error', () => resolve(0));
          },
        );
        request.on('error', () => resolve(0));
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

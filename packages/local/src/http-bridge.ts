import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { buildHttpApiEvent, writeHttpApiResult } from './api-gateway-event.js';
import { LOOPBACK, listenOnLoopback } from './emulators.js';
import { createLambdaContext } from './lambda-context.js';
import { InvocationTimeoutError, withTimeout } from './timeout.js';

/** An HTTP API function as Lambda calls it; the result is an `APIGatewayProxyResultV2`. */
export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** A JSON answer of a route the stack serves itself, beside the API (the local SMS gateway). */
export interface LocalRouteResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A route the stack serves itself; it sees the request (body already read), never the API handler. */
export type LocalRoute = (request: IncomingMessage, body: Buffer) => Promise<LocalRouteResponse>;

/** A route API Gateway sends to a function of its own (by exact path), as `POST /sms/inbound`. */
export interface FunctionRoute {
  readonly handler: HttpApiHandler;
  readonly functionName: string;
}

export interface HttpBridgeOptions {
  readonly handler: HttpApiHandler;
  /** Routes served by another function than `handler`, by exact path, as the cloud stack routes them. */
  readonly functionRoutes?: Readonly<Record<string, FunctionRoute>>;
  /** Routes served before the handler, by exact path (no API Gateway event, no timeout). */
  readonly localRoutes?: Readonly<Record<string, LocalRoute>>;
  /** 0 picks a free port. */
  readonly port: number;
  readonly functionName?: string;
  readonly region?: string;
  /** Larger request bodies get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** API Gateway's integration timeout; a slower handler gets 503. Default 29. */
  readonly timeoutSeconds?: number;
  readonly log?: (line: string) => void;
}

/** The running bridge. */
export interface HttpBridge {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly address: AddressInfo;
  /** Stops accepting requests and resolves when in-flight ones have been answered. */
  stop(): Promise<void>;
}

const MIB = 1024 * 1024;
// Past this, stop draining an oversized body and drop the connection.
const DRAIN_LIMIT_BYTES = 16 * MIB;

/** Serves a Lambda HTTP API handler on loopback, as API Gateway's `$default` route would call it. */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const log = options.log ?? (() => {});
  const maxBodyBytes = options.maxBodyBytes ?? MIB;
  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      // The path only: a query string can carry a CNIC or a phone number, which logs must never hold.
      const path = (request.url ?? '/').split('?')[0];
      log(`[http] ${request.method} ${path} failed: ${String(error)}`);
      if (!response.headersSent) sendMessage(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = Date.now();
    const body = await readBody(request, maxBodyBytes);
    if (body === 'too-large') {
      sendMessage(response, 413, 'Request Entity Too Large');
      return;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = options.localRoutes?.[path];
    if (route) {
      const { status, body: answer } = await route(request, body);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
      log(`[http] ${request.method} ${path} ${status} ${Date.now() - started} ms`);
      return;
    }
    const target = options.functionRoutes?.[path];
    const event = buildHttpApiEvent(request, body);
    response.setHeader('apigw-requestid', event.requestContext.requestId);
    const timeoutSeconds = options.timeoutSeconds ?? 29;
    const context = createLambdaContext({
      functionName: target?.functionName ?? options.functionName ?? 'api',
      timeoutSeconds,
      region: options.region ?? 'us-east-1',
    });
    let result: unknown;
    try {
      const handler = target?.handler ?? options.handler;
      result = await withTimeout(() => handler(event, context), timeoutSeconds);
    } catch (error) {
      const timedOut = error instanceof InvocationTimeoutError;
      log(`[http] ${event.requestContext.http.method} ${event.rawPath} handler error: ${String(error)}`);
      sendMessage(response, timedOut ? 503 : 500, timedOut ? 'Service Unavailable' : 'Internal Server Error');
      return;
    }
    writeHttpApiResult(response, result);
    log(
      `[http] ${event.requestContext.http.method} ${event.rawPath} ${response.statusCode} ${Date.now() - started} ms`,
    );
  };

  const address = await listenOnLoopback(server, options.port);
  return {
    url: `http://${LOOPBACK}:${address.port}`,
    address,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections close now; a stuck request gets five seconds.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}

/** Reads the whole body, or reports it too large after draining it so the client sees the 413. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        request.destroy();
        resolve('too-large');
      }
    });
    request.on('end', () => resolve(size > maxBytes ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

// API Gateway's own error bodies look like this.
function sendMessage(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ message }));
}

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { htmlHeaders } from './layout.js';

type Renderable = { toString(): string | Promise<string> };

/** Sends a page as a complete HTML document with the web headers (no caching unless `cache`). */
export async function renderPage(
  c: Context,
  page: Renderable,
  status: ContentfulStatusCode = 200,
  cache?: string,
): Promise<Response> {
  htmlHeaders(c, cache);
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

/** A fragment (the dashboard's live part), never cached. */
export async function renderFragment(c: Context, fragment: Renderable): Promise<Response> {
  htmlHeaders(c);
  return c.html(await fragment.toString());
}

/** Where the request came from: API Gateway's source IP (set by AWS, not by the client). */
export function clientIp(c: Context): string {
  const env = c.env as { requestContext?: { http?: { sourceIp?: string } } } | undefined;
  return env?.requestContext?.http?.sourceIp ?? 'unknown';
}

/** One text field of a parsed form body. */
export function formText(body: Record<string, unknown>, name: string, max = 200): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

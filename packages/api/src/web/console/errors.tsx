/** @jsxImportSource hono/jsx */
import { MadadError } from '@madad/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../deps.js';
import { mapError } from '../../errors.js';
import { renderPage } from '../render.js';
import { ConsolePage, Flash } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'Not accepted',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible now',
  413: 'Too large',
  415: 'Wrong file type',
};

/**
 * A service refusal (maker-checker, budget, wrong state, validation) as a console page with the
 * service's own message; anything else goes to the API's error map (500 with a request id).
 */
export function consoleErrorHandler(error: Error, c: Context<AppEnv>): Response | Promise<Response> {
  if (!(error instanceof MadadError) || error.status >= 500) return mapError(error, c);
  const title = TITLES[error.status] ?? 'Not possible';
  const details = Array.isArray(error.details)
    ? (error.details as { path?: string; line?: number; message?: string }[])
    : [];
  return renderPage(
    c,
    <ConsolePage title={title} principal={c.get('principal')}>
      <h1>{title}</h1>
      <Flash kind="summary">
        <p id="error-message">{error.message}</p>
        {details.length > 0 ? (
          <ul>
            {details.slice(0, 20).map((d) => (
              <li>
                {d.line !== undefined ? `Line ${d.line}: ` : d.path ? `${d.path}: ` : ''}
                {d.message ?? ''}
              </li>
            ))}
          </ul>
        ) : null}
      </Flash>
      <p>
        <a href="/console/campaigns">Campaigns</a>
      </p>
    </ConsolePage>,
    error.status as ContentfulStatusCode,
  );
}

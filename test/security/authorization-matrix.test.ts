import { readFile } from 'node:fs/promises';
import { issueStaffToken } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_COOKIE } from '../../packages/api/src/web/console/session.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { appRoutes, fillPath, routeKey } from './app-routes.js';
import {
  API_ROUTES,
  CONSOLE_ROUTES,
  mayCall,
  PUBLIC_API_ROUTES,
  PUBLIC_CONSOLE_ROUTES,
  ROLES,
  type StaffRoute,
  whoMayDoWhat,
} from './authorization-table.js';

let t: TestStack;
/** Tokens that must never get in: each maps to the status the API answers. */
let refusedTokens: { label: string; token: string | undefined; status: 401 | 403; scheme?: string }[];
const roleTokens = new Map<StaffRole, string>();

const encode = (secret: string) => new TextEncoder().encode(secret);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signed(
  secret: string,
  claims: { roles: unknown; sub?: string; iss?: string; aud?: string; exp?: number },
) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'mallory')
    .setIssuer(claims.iss ?? 'madad')
    .setAudience(claims.aud ?? 'madad-staff')
    .setIssuedAt(nowSeconds - 7200)
    .setExpirationTime(claims.exp ?? nowSeconds + 600)
    .sign(encode(secret));
}

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const secret = t.stack.env.MADAD_JWT_SECRET ?? '';
  for (const role of ROLES)
    roleTokens.set(role, await issueStaffToken(secret, { user: `u-${role}`, roles: [role] }));
  const nowSeconds = Math.floor(Date.now() / 1000);
  refusedTokens = [
    { label: 'no token', token: undefined, status: 401 },
    {
      label: 'an expired token',
      token: await signed(secret, { roles: ['admin'], exp: nowSeconds - 60 }),
      status: 401,
    },
    {
      label: 'a token signed with another key',
      token: await signed('not-the-deployment-key-0123456789', { roles: ['admin'] }),
      status: 401,
    },
    {
      label: 'a token for another audience',
      token: await signed(secret, { roles: ['admin'], aud: 'someone-else' }),
      status: 401,
    },
    {
      label: 'a token from another issuer',
      token: await signed(secret, { roles: ['admin'], iss: 'evil' }),
      status: 401,
    },
    {
      label: 'an unsigned token (alg none)',
      token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', roles: ['admin'], iss: 'madad', aud: 'madad-staff', exp: nowSeconds + 600 })}.`,
      status: 401,
    },
    { label: 'a token that is not a JWT', token: 'admin', status: 401 },
    {
      label: 'a valid token under the Basic scheme',
      token: roleTokens.get('admin'),
      status: 401,
      scheme: 'Basic',
    },
    {
      label: 'a token with an unknown role',
      token: await signed(secret, { roles: ['superuser', 'root'] }),
      status: 403,
    },
    {
      label: 'a token with a role spelled differently',
      token: await signed(secret, { roles: ['Admin', 'ADMIN '] }),
      status: 403,
    },
    { label: 'a token without roles', token: await signed(secret, { roles: [] }), status: 403 },
  ];
});

afterAll(async () => {
  await t.stop();
});

/** Plausible ids, so a permitted call reaches the handler's own checks (a 404 for a made-up id is fine). */
const SAMPLE_IDS: Record<string, string> = {
  id: 'C-NOSUCH',
  householdId: 'HH-NOSUCH',
  requestId: 'CR-0000ABCD',
};
const samplePath = (entry: StaffRoute) =>
  fillPath(entry.route.slice(entry.route.indexOf(' ') + 1), (name) => SAMPLE_IDS[name] ?? 'NOSUCH');
const methodOf = (entry: StaffRoute) => entry.route.slice(0, entry.route.indexOf(' '));

function callApi(entry: StaffRoute, token: string | undefined, scheme = 'Bearer'): Promise<Response> {
  const method = methodOf(entry);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `${scheme} ${token}`;
  return fetch(`${t.stack.httpUrl}${samplePath(entry)}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: '{}' }),
  });
}

function callConsole(entry: StaffRoute, token: string | undefined): Promise<Response> {
  const method = methodOf(entry);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token !== undefined) headers.cookie = `${STAFF_COOKIE}=${token}`;
  return fetch(`${t.stack.httpUrl}${samplePath(entry)}`, {
    method,
    headers,
    redirect: 'manual',
    ...(method === 'GET' ? {} : { body: 'reason=x' }),
  });
}

const staffApiRoutes = () =>
  appRoutes()
    .map(routeKey)
    .filter((key) => key.split(' ')[1]?.startsWith('/api/v1/'));
const consoleRoutes = () =>
  appRoutes()
    .map(routeKey)
    .filter((key) => key.split(' ')[1]?.startsWith('/console'));

describe('the authorization table', () => {
  it('names every /api/v1 route of the app, as staff-only or public', () => {
    const listed = [...API_ROUTES.map((e) => e.route), ...PUBLIC_API_ROUTES];

    expect(new Set(listed).size).toBe(listed.length);
    expect([...staffApiRoutes()].sort()).toEqual([...listed].sort());
  });

  it('names every console page of the app, as staff-only or sign-in', () => {
    const listed = [...CONSOLE_ROUTES.map((e) => e.route), ...PUBLIC_CONSOLE_ROUTES];

    expect([...consoleRoutes()].sort()).toEqual([...listed].sort());
  });

  it('is what the README says under "Who may do what"', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

    expect(readme).toContain('## Who may do what');
    // On a change, paste this into the README (the test prints it in full when they differ).
    expect(readme).toContain(whoMayDoWhat());
  });
});

describe('the JSON API refuses whoever may not', () => {
  it.each(API_ROUTES.map((e) => [e.route, e] as const))('%s', async (_route, entry) => {
    const seen: string[] = [];

    for (const refused of refusedTokens) {
      const response = await callApi(entry, refused.token, refused.scheme);
      const body = (await response.json()) as { error?: { code?: string }; requestId?: string };
      seen.push(`${refused.label}: ${response.status} ${body.error?.code}`);
      expect(seen.at(-1)).toBe(
        `${refused.label}: ${refused.status} ${refused.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN'}`,
      );
      expect(body.requestId).toEqual(expect.any(String));
    }
    for (const role of ROLES) {
      const response = await callApi(entry, roleTokens.get(role));
      await response.body?.cancel();
      const verdict = mayCall(entry, role)
        ? response.status !== 401 && response.status !== 403 && response.status < 500
        : response.status === 403;
      expect({ role, status: response.status, ok: verdict }).toEqual({
        role,
        status: response.status,
        ok: true,
      });
    }
  });
});

describe('the staff console refuses whoever may not', () => {
  it.each(CONSOLE_ROUTES.map((e) => [e.route, e] as const))('%s', async (_route, entry) => {
    for (const refused of refusedTokens) {
      if (refused.scheme) continue; // the console reads its cookie, not a header
      const response = await callConsole(entry, refused.token);
      await response.body?.cancel();
      const label = refused.label;
      if (refused.status === 401) {
        // Not signed in, or a token that does not verify: back to the sign-in page, nothing shown.
        expect({ label, status: response.status }).toEqual({ label, status: 303 });
        expect(response.headers.get('location')).toMatch(/^\/console\/sign-in\?/);
      } else {
        expect({ label, status: response.status }).toEqual({ label, status: 403 });
      }
    }
    for (const role of ROLES) {
      const response = await callConsole(entry, roleTokens.get(role));
      await response.body?.cancel();
      const toSignIn = (response.headers.get('location') ?? '').startsWith('/console/sign-in');
      const verdict = mayCall(entry, role)
        ? response.status !== 403 && response.status < 500 && !toSignIn
        : response.status === 403;
      expect({ role, status: response.status, ok: verdict }).toEqual({
        role,
        status: response.status,
        ok: true,
      });
    }
  });
});

import { issueStaffToken } from '@madad/adapters';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const fetchMock = vi.fn(async () => {
  throw new Error('no network in tests');
});

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_COGNITO_ISSUER', 'https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Example1');
  vi.stubEnv('MADAD_COGNITO_CLIENT_ID', '4example0client0id0staff0console');
  vi.stubGlobal('fetch', fetchMock);
  ({ handler } = (await import('../../functions/api/handler.js')) as unknown as { handler: Handler });
});

afterAll(() => vi.unstubAllGlobals());

describe('api handler with the staff user pool configured (cloud)', () => {
  it('verifies staff tokens against Cognito, so a locally signed HS256 token no longer passes', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('apigw/staff-outbound.json');
    const token = await issueStaffToken(TEST_SECRETS.jwt, { user: 'mallory', roles: ['admin'] });
    event.headers.authorization = `Bearer ${token}`;

    const result = await handler(event, lambdaContext);

    expect(result.statusCode).toBe(401);
    // The algorithm is refused before any key is fetched.
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

import { UnauthorizedError } from '@madad/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cognitoVerifierFromEnv,
  createCognitoTokenVerifier,
} from '../../packages/adapters/src/staff-sessions/cognito-tokens.js';

const issuer = 'https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Example1';
const clientId = '4example0client0id0staff0console';
const now = () => Math.floor(Date.now() / 1000);
const aliceSub = '5f1c0d2e-aaaa-bbbb-cccc-0123456789ab';

let sign: (claims: JWTPayload, options?: { kid?: string; expiresIn?: number }) => Promise<string>;
let signWithOtherKey: (claims: JWTPayload) => Promise<string>;
let verify: ReturnType<typeof createCognitoTokenVerifier>;
let poolPrivateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  // A user pool's key pair and its JWKS, all local: no network in these tests.
  const pool = await generateKeyPair('RS256');
  poolPrivateKey = pool.privateKey;
  const stranger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pool.publicKey)), kid: 'pool-key-1', alg: 'RS256', use: 'sig' };
  verify = createCognitoTokenVerifier({ issuer, clientId, keys: createLocalJWKSet({ keys: [jwk] }) });
  const build = (claims: JWTPayload, kid: string, expiresIn: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setSubject(aliceSub)
      .setIssuedAt()
      .setExpirationTime(now() + expiresIn);
  sign = (claims, options = {}) =>
    build(claims, options.kid ?? 'pool-key-1', options.expiresIn ?? 3600).sign(pool.privateKey);
  signWithOtherKey = (claims) => build(claims, 'pool-key-1', 3600).sign(stranger.privateKey);
});

const idToken = (groups: unknown, extra: JWTPayload = {}) => ({
  token_use: 'id',
  aud: clientId,
  'cognito:username': 'alice',
  'cognito:groups': groups,
  ...extra,
});

describe('createCognitoTokenVerifier', () => {
  it('maps the Cognito groups of an ID token to staff roles', async () => {
    const principal = await verify(await sign(idToken(['program-officer', 'approver'])));

    expect(principal).toEqual({ user: aliceSub, roles: ['program-officer', 'approver'] });
  });

  it('accepts an access token, whose client is in client_id rather than aud', async () => {
    const token = await sign({
      token_use: 'access',
      client_id: clientId,
      username: 'bob',
      'cognito:groups': ['auditor'],
    });

    expect(await verify(token)).toEqual({ user: aliceSub, roles: ['auditor'] });
  });

  it('ignores groups that are not staff roles, and gives no role to a user in no group', async () => {
    expect((await verify(await sign(idToken(['admins', 'emergency-cell', 'Admin'])))).roles).toEqual([
      'emergency-cell',
    ]);
    expect((await verify(await sign(idToken(undefined)))).roles).toEqual([]);
  });

  it('refuses a token signed by another key, issued to another client, expired, or of another use', async () => {
    const refusals = [
      signWithOtherKey(idToken(['admin'])),
      sign(idToken(['admin'], { aud: 'some-other-client' })),
      sign({ token_use: 'access', client_id: 'some-other-client', 'cognito:groups': ['admin'] }),
      sign(idToken(['admin']), { expiresIn: -60 }),
      sign(idToken(['admin'], { token_use: 'refresh' })),
    ];

    for (const token of refusals) {
      await expect(verify(await token)).rejects.toBeInstanceOf(UnauthorizedError);
    }
  });

  it("finding 7: names the user by the pool's sub, not by a username that can be renamed or reused", async () => {
    const asAlice = await verify(await sign(idToken(['approver'])));
    const renamed = await verify(await sign(idToken(['approver'], { 'cognito:username': 'alice.khan' })));

    expect(renamed.user).toBe(asAlice.user);
    expect(asAlice.user).toBe(aliceSub);
  });

  it('finding 7: refuses a token without exp', async () => {
    const token = await new SignJWT(idToken(['admin']))
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key-1' })
      .setIssuer(issuer)
      .setSubject(aliceSub)
      .setIssuedAt()
      .sign(poolPrivateKey);

    await expect(verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token from another issuer, even one signed with the pool key', async () => {
    const token = await new SignJWT(idToken(['admin']))
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key-1' })
      .setIssuer('https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Other')
      .setExpirationTime(now() + 60)
      .sign((await generateKeyPair('RS256')).privateKey);

    await expect(verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses an HS256 token made with a shared secret (the local kind)', async () => {
    const token = await new SignJWT(idToken(['admin']))
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode('local-dev-jwt-secret-0123456789abcdef'));

    await expect(verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});

describe('cognitoVerifierFromEnv', () => {
  it('is absent locally and present when the stack names the user pool', () => {
    expect(cognitoVerifierFromEnv({})).toBeUndefined();
    expect(
      cognitoVerifierFromEnv({ MADAD_COGNITO_ISSUER: issuer, MADAD_COGNITO_CLIENT_ID: clientId }),
    ).toBeTypeOf('function');
  });

  it('fails fast when only half the configuration is there', () => {
    expect(() => cognitoVerifierFromEnv({ MADAD_COGNITO_ISSUER: issuer })).toThrow(/MADAD_COGNITO_CLIENT_ID/);
  });
});

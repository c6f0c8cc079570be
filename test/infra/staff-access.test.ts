import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicRoutes, routeKey, staffRoute } from '../../infra/constructs/public-http-api.js';
import { staffRoles } from '../../infra/constructs/staff-identity.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { stageConfig } from '../../infra/stage.js';
import { StaffRoleSchema } from '../../packages/core/src/schemas.js';
import { logicalId, refOf, synthesizeStage } from './synthesize-stage.js';

type Resource = { Properties: Record<string, unknown> };
const routesOf = (template: Template) =>
  new Map(
    Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).map((r) => [
      r.Properties.RouteKey as string,
      r.Properties,
    ]),
  );

describe('staff access (prod)', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { bundle: false }));
  });

  describe('user pool', () => {
    it('lets only administrators create users, with a strong password policy', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      });
    });

    it('requires an authenticator app as second factor, never SMS', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      });
    });

    it('enforces threat protection on the Plus tier and cannot be deleted by accident', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          UserPoolTier: 'PLUS',
          UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
          DeletionProtection: 'ACTIVE',
        }),
        DeletionPolicy: 'Retain',
      });
    });

    it('has one group per staff role, named as the handler expects them in cognito:groups', () => {
      expect([...staffRoles].sort()).toEqual([...StaffRoleSchema.options].sort());
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', staffRoles.length);
      for (const role of staffRoles) {
        template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
          GroupName: role,
          UserPoolId: refOf(stack.staff.userPool),
        });
      }
    });

    it('gives scripts a public client without OAuth redirects, and tokens that last a shift at most', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        AllowedOAuthFlows: Match.absent(),
        CallbackURLs: Match.absent(),
        IdTokenValidity: 60,
        AccessTokenValidity: 60,
        RefreshTokenValidity: 12 * 60,
      });
    });
  });

  describe('console sign-in (Cognito hosted login)', () => {
    const signInClient = () => {
      const client = stack.staff.signIn?.client;
      if (!client) throw new Error('no console sign-in client');
      return client;
    };
    const apiEndpoint = () => ({ 'Fn::GetAtt': [logicalId(stack.api.api), 'ApiEndpoint'] });

    it('gives the pool a hosted-login domain named after the stage and account', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        UserPoolId: refOf(stack.staff.userPool),
        Domain: { 'Fn::Join': ['', ['madad-prod-', { Ref: 'AWS::AccountId' }]] },
      });
    });

    it('has a public client for the authorization code flow only, back to the console’s callback', () => {
      const client = template.toJSON().Resources[logicalId(signInClient())];
      expect(client.Properties).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        // One shift: the console's session lasts as long as its ID token at most.
        IdTokenValidity: 8 * 60,
      });
      expect([...client.Properties.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: [{ 'Fn::Join': ['', Match.arrayWith(['/console/callback'])] }],
        LogoutURLs: [{ 'Fn::Join': ['', Match.arrayWith(['/console/signed-out'])] }],
      });
      const callback = client.Properties.CallbackURLs[0]['Fn::Join'][1];
      expect(callback).toContainEqual(apiEndpoint());
    });

    it('lets DynamoDB delete console sessions after their end (the operations table’s TTL)', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      });
      const ttl =
        template.toJSON().Resources[logicalId(stack.tables.table('operations'))].Properties
          .TimeToLiveSpecification;
      expect(ttl).toEqual({ AttributeName: 'expiresAtEpoch', Enabled: true });
    });

    it('tells the api function where staff sign in and where the console is', () => {
      const fn = template.toJSON().Resources[logicalId(stack.lambda('api').function)];
      expect(fn.Properties.Environment.Variables).toMatchObject({
        MADAD_OIDC_ISSUER: { 'Fn::GetAtt': [logicalId(stack.staff.userPool), 'ProviderURL'] },
        MADAD_OIDC_CLIENT_ID: refOf(signInClient()),
        MADAD_CONSOLE_URL: apiEndpoint(),
      });
      // Cognito's hosted `/logout` on the pool's domain (its discovery names no end-session endpoint).
      const logout = fn.Properties.Environment.Variables.MADAD_OIDC_LOGOUT_URL['Fn::Join'][1];
      expect(logout).toContainEqual(refOf(stack.staff.signIn?.domain ?? stack.staff.userPool));
      expect(logout.at(-1)).toMatch(/\.amazoncognito\.com\/logout$/);
      // The token form is for the test stack only: the cloud never turns it on.
      expect(fn.Properties.Environment.Variables.MADAD_CONSOLE_TOKEN_SIGN_IN).toBeUndefined();
    });
  });

  describe('http api', () => {
    it('puts the staff catch-all behind a Cognito JWT authorizer for the console client', () => {
      const staff = routesOf(template).get(routeKey(staffRoute));
      expect(staff).toMatchObject({ AuthorizationType: 'JWT' });
      const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
      const [authorizerId] = Object.keys(authorizers);
      expect(staff?.AuthorizerId).toEqual({ Ref: authorizerId });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [refOf(stack.staff.consoleClient)],
          Issuer: Match.objectLike({
            'Fn::Join': [
              '',
              Match.arrayWith([
                Match.stringLikeRegexp('^https://cognito-idp\\.'),
                refOf(stack.staff.userPool),
              ]),
            ],
          }),
        },
      });
    });

    it.each(publicRoutes.map(routeKey))('leaves %s public (households, the aggregator, probes)', (key) => {
      expect(routesOf(template).get(key)).toMatchObject({ AuthorizationType: 'NONE' });
    });

    it('serves the web pages and the console page from an unauthenticated $default route', () => {
      expect(routesOf(template).get('$default')).toMatchObject({ AuthorizationType: 'NONE' });
    });

    it('has no other routes than the public ones, the staff catch-all and $default', () => {
      expect([...routesOf(template).keys()].sort()).toEqual(
        [...publicRoutes.map(routeKey), routeKey(staffRoute), '$default'].sort(),
      );
    });

    it('keeps GET /api/v1/registrations (the staff lookup by CNIC) off the public list', () => {
      expect(publicRoutes.map(routeKey)).not.toContain('GET /api/v1/registrations');
    });

    it('throttles the household web routes below the webhook and collects route metrics for intake', () => {
      const { publicWebThrottle, apiThrottle } = stageConfig('prod');
      expect(publicWebThrottle.rateLimit).toBeLessThan(apiThrottle.rateLimit);
      const stage = Object.values(
        template.findResources('AWS::ApiGatewayV2::Stage') as Record<string, Resource>,
      )[0];
      const settings = stage?.Properties.RouteSettings as Record<string, Record<string, unknown>>;
      for (const route of publicRoutes.filter((r) => r.householdWeb)) {
        expect(settings[routeKey(route)], routeKey(route)).toMatchObject({
          ThrottlingRateLimit: publicWebThrottle.rateLimit,
          ThrottlingBurstLimit: publicWebThrottle.burstLimit,
        });
      }
      expect(settings['POST /sms/inbound']).toEqual({
        ThrottlingRateLimit: apiThrottle.rateLimit,
        ThrottlingBurstLimit: apiThrottle.burstLimit,
        DetailedMetricsEnabled: true,
      });
      expect(settings['POST /api/v1/registrations']).toMatchObject({ DetailedMetricsEnabled: true });
    });

    it('creates the stage after the routes its settings name', () => {
      const stage = template.findResources('AWS::ApiGatewayV2::Stage');
      const dependsOn = Object.values(stage)[0]?.DependsOn as string[];
      for (const route of publicRoutes.filter((r) => r.householdWeb || r.intake)) {
        const cdkRoute = stack.api.routes.get(routeKey(route));
        if (!cdkRoute) throw new Error(`no route ${routeKey(route)}`);
        expect(dependsOn).toContain(logicalId(cdkRoute));
      }
    });
  });

  it('tells the api function which pool and client issue staff tokens', () => {
    const fn = template.toJSON().Resources[logicalId(stack.lambda('api').function)];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      MADAD_COGNITO_ISSUER: { 'Fn::GetAtt': [logicalId(stack.staff.userPool), 'ProviderURL'] },
      MADAD_COGNITO_CLIENT_ID: refOf(stack.staff.consoleClient),
    });
  });
});

describe('staff access (dev)', () => {
  it('makes MFA optional, uses the Essentials tier and lets `cdk destroy` delete the pool', () => {
    const { template } = synthesizeStage('dev', { bundle: false });

    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        MfaConfiguration: 'OPTIONAL',
        UserPoolTier: 'ESSENTIALS',
        DeletionProtection: 'INACTIVE',
      }),
      DeletionPolicy: 'Delete',
    });
  });
});

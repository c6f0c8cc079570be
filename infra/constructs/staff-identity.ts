import { type StaffRole, StaffRoleSchema } from '@madad/core';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';

export const staffRoles: readonly StaffRole[] = StaffRoleSchema.options;

const roleDescriptions: Record<StaffRole, string> = {
  'emergency-cell': 'Declares shocks: creates, activates and closes surge campaigns',
  'program-officer': 'Reviews registrations, appeals and change requests; prepares payment batches',
  approver: 'Approves or rejects payment batches prepared by someone else (maker-checker)',
  auditor: 'Reads decisions, payments and the audit ledger',
  admin: 'Everything, including what the other roles do',
};

export interface StaffIdentityProps {
  readonly stage: StageConfig;
}

/**
 * Who may use the staff API: a Cognito user pool that only administrators add people to, one group per
 * staff role (the handler maps `cognito:groups` to roles), and the console's app client.
 */
export class StaffIdentity extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  readonly groups: Record<StaffRole, UserPoolGroup>;
  readonly authorizer: HttpUserPoolAuthorizer;
  /** Cognito's hosted login for the console (`addConsoleSignIn`), once the console's URL is known. */
  signIn?: { readonly domain: UserPoolDomain; readonly client: UserPoolClient };

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);
    const { stage } = props;
    this.userPool = new UserPool(this, 'UserPool', {
      // Staff are invited (`admin-create-user`), never sign themselves up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Authenticator apps only: SMS codes are open to SIM swaps, and cost per message.
      mfa: stage.staffMfaRequired ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: stage.staffThreatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(stage.staffThreatProtection
        ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.removalPolicy,
    });
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      // A browser app and the CLI cannot keep a client secret.
      generateSecret: false,
      // No hosted sign-in pages (and so no OAuth redirect URLs): the console and CLI use the API flows.
      disableOAuth: true,
      // SRP for the console; USER_PASSWORD_AUTH (over TLS to Cognito) so `aws cognito-idp initiate-auth`
      // can fetch a token for scripts and the smoke test. MFA still applies to both.
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // One working shift; then sign in again.
      refreshTokenValidity: Duration.hours(12),
    });
    this.groups = Object.fromEntries(
      staffRoles.map((role, precedence) => [
        role,
        this.userPool.addGroup(`${role}Group`, {
          groupName: role,
          description: roleDescriptions[role],
          precedence,
        }),
      ]),
    ) as Record<StaffRole, UserPoolGroup>;
    this.authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, {
      userPoolClients: [this.consoleClient],
    });

    if (!stage.staffMfaRequired) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          `MFA is optional on the ${stage.name} stage only: its users are throwaway test accounts created by ` +
          'scripts; the prod stage requires an authenticator app for every staff member.',
      });
    }
    if (!stage.staffThreatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          `The ${stage.name} stage uses the Essentials tier: threat protection (Plus) is billed per user and ` +
          'guards nothing on a stack holding synthetic data; the prod stage is on Plus with it enforced.',
      });
    }
  }

  /**
   * Cognito's hosted login for the console at `consoleUrl` (the HTTP API's endpoint): a domain for the
   * pool and an app client for the authorization code flow with PKCE (a public client: the console
   * never holds a secret), called back at `/console/callback`, signed out to `/console/signed-out`.
   * ID tokens last one shift, so a console session (never longer than its ID token) can too. A client
   * of its own: the API client above keeps no OAuth redirects, and scripts keep using it.
   */
  addConsoleSignIn(
    consoleUrl: string,
    stage: StageConfig,
  ): { readonly domain: UserPoolDomain; readonly client: UserPoolClient } {
    const domain = this.userPool.addDomain('HostedLogin', {
      // Globally unique per region: the stage and the account (Cognito forbids "aws" and "cognito").
      cognitoDomain: { domainPrefix: `madad-${stage.name}-${Stack.of(this).account}` },
    });
    const client = this.userPool.addClient('ConsoleSignInClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.EMAIL],
        callbackUrls: [`${consoleUrl}/console/callback`],
        logoutUrls: [`${consoleUrl}/console/signed-out`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      // The hosted login signs in with SRP; no password ever reaches the console.
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.signIn = { domain, client };
    return this.signIn;
  }

  /** What the api function needs to sign staff in to the console (`oidcIdentityProviderFromEnv`). */
  get signInEnvironment(): Record<string, string> {
    if (!this.signIn) throw new Error('addConsoleSignIn first');
    return {
      MADAD_OIDC_ISSUER: this.userPool.userPoolProviderUrl,
      MADAD_OIDC_CLIENT_ID: this.signIn.client.userPoolClientId,
      // Cognito's discovery names no end-session endpoint; its hosted `/logout` ends the session.
      MADAD_OIDC_LOGOUT_URL: `${this.signIn.domain.baseUrl()}/logout`,
    };
  }

  /** What the api function needs to verify Cognito tokens itself (`cognitoVerifierFromEnv`). */
  get verifierEnvironment(): Record<string, string> {
    return {
      MADAD_COGNITO_ISSUER: this.userPool.userPoolProviderUrl,
      MADAD_COGNITO_CLIENT_ID: this.consoleClient.userPoolClientId,
    };
  }
}

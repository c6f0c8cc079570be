export * from './dynamodb-staff-sessions.js';
export * from './oidc-identity-provider.js';

import { getRuntime } from '@madad/adapters';
import { createApp } from '@madad/api';
// Its own entry, so that the SMS webhook's bundle (which imports @madad/api) never sees these ports.
import { awsApiDeps } from '@madad/api/aws-deps';
import { handle } from 'hono/aws-lambda';

// The ports are built once per process (a cold start), from the shared SDK clients.
export const app = createApp(awsApiDeps(getRuntime()));

/** API Gateway HTTP API (payload 2.0) entry point: every route is served by the one hono app. */
export const handler = handle(app);

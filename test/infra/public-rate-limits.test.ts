import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicRoutes, routeKey } from '../../infra/constructs/public-http-api.js';
import { stageConfig } from '../../infra/stage.js';
import { synthesizeStage } from './synthesize-stage.js';

/**
 * Issue 14, finding 3, in the cloud: every public household route, HTML page and JSON twin alike, is
 * throttled at the stage's household limit. HTTP APIs take no WAF web ACL, so route throttles are
 * the cloud's guard; the per-address and per-phone windows are the app's (`rate-limit/`).
 */
const HOUSEHOLD_ROUTES = [
  'POST /register',
  'GET /status',
  'POST /status',
  'GET /campaigns/{id}',
  'POST /api/v1/registrations',
  'GET /api/v1/registrations/{reference}',
  'POST /api/v1/status',
  'POST /api/v1/change-requests',
];

describe('public route throttles (finding 3)', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthesizeStage('prod', { bundle: false }));
  });

  it('lists every household route, HTML and JSON, as household web', () => {
    const household = publicRoutes.filter((r) => r.householdWeb).map(routeKey);
    expect(household.sort()).toEqual([...HOUSEHOLD_ROUTES].sort());
  });

  it('creates each household route and throttles it at the household web limit', () => {
    const { publicWebThrottle } = stageConfig('prod');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: { RouteSettings: Record<string, Record<string, unknown>> };
    };
    for (const key of HOUSEHOLD_ROUTES) {
      expect(routes, key).toContain(key);
      expect(stage.Properties.RouteSettings[key], key).toEqual({
        ThrottlingRateLimit: publicWebThrottle.rateLimit,
        ThrottlingBurstLimit: publicWebThrottle.burstLimit,
        ...(key === 'POST /api/v1/registrations' ? { DetailedMetricsEnabled: true } : {}),
      });
    }
  });
});

import { Hono } from 'hono';
import type { ApiDeps, AppEnv } from '../deps.js';
import { assetRoutes } from './assets.js';
import { consoleAppealRoutes } from './console/appeals-routes.js';
import { consoleAuditRoutes } from './console/audit-routes.js';
import { consoleCampaignImpactRoutes } from './console/campaign-impact-routes.js';
import { consoleCampaignRoutes } from './console/campaign-routes.js';
import { consoleErrorHandler } from './console/errors.js';
import { consoleHouseholdRoutes } from './console/household-routes.js';
import { consoleImportRoutes } from './console/imports-routes.js';
import { consolePaymentRoutes } from './console/payment-routes.js';
import { consoleQualityRoutes } from './console/quality-routes.js';
import { consoleRectificationRoutes } from './console/rectification-routes.js';
import { consoleReviewRoutes } from './console/review-routes.js';
import { sameOriginPosts } from './console/session.js';
import { signInRoutes } from './console/sign-in.js';
import { publicWebRoutes } from './public-routes.js';

/**
 * The web: public registration, status and campaign pages (no login, English and Urdu) and the staff
 * console under `/console` (a staff token in an HttpOnly cookie). Server-rendered hono JSX with one
 * small progressive script; every action calls the same core functions as the JSON API.
 */
export function webRoutes(deps: ApiDeps): Hono<AppEnv> {
  // The error handler is set before the routes are mounted: hono wraps them with it at `route()` time.
  const staff = new Hono<AppEnv>();
  staff.onError(consoleErrorHandler);
  staff.use('/console/*', sameOriginPosts);
  staff.route('/', signInRoutes(deps));
  staff.route('/', consoleCampaignRoutes(deps));
  staff.route('/', consoleCampaignImpactRoutes(deps));
  staff.route('/', consoleReviewRoutes(deps));
  staff.route('/', consoleHouseholdRoutes(deps));
  staff.route('/', consoleAppealRoutes(deps));
  staff.route('/', consoleAuditRoutes(deps));
  staff.route('/', consoleQualityRoutes(deps));
  staff.route('/', consoleImportRoutes(deps));
  staff.route('/', consoleRectificationRoutes(deps));
  staff.route('/', consolePaymentRoutes(deps));

  const web = new Hono<AppEnv>();
  web.route('/', assetRoutes());
  web.route('/', publicWebRoutes(deps));
  web.route('/', staff);
  return web;
}

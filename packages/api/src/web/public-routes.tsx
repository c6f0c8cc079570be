/** @jsxImportSource hono/jsx */
import {
  areasInForce,
  type PageLanguage as Language,
  normalizeCnic,
  normalizePhone,
  REFERENCE_PATTERN,
  readReference,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import type { ApiDeps, AppEnv } from '../deps.js';
import { type Refusal, refusedAttempt } from '../rate-limit/public-limits.js';
import { statusByCnicAndPhone, statusByReference } from '../status-lookup.js';
import { campaignFiguresReader } from './campaign-figures.js';
import { CampaignPage } from './campaign-page.js';
import { langOf, TEXT } from './i18n.js';
import { PublicPage } from './layout.js';
import {
  EMPTY_REGISTRATION,
  type RegistrationValues,
  readRegistrationForm,
  validateRegistration,
} from './registration-form.js';
import { RegistrationPage } from './registration-page.js';
import { clientIp, formText, renderPage } from './render.js';
import { RegisteredPage, type StatusFormValues, StatusPage } from './status-page.js';

/** Minutes to tell the person to wait (`retry-after` is already set by the limiter). */
function waitMinutes(verdict: Refusal): number {
  return Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60));
}

/**
 * The public pages: registration, status and campaign figures. Plain forms that work without
 * JavaScript; every post goes through the same core validation and queue as the JSON API.
 */
export function publicWebRoutes(deps: ApiDeps): Hono<AppEnv> {
  // The one limiter of the public routes, shared with their JSON twins (`rate-limit/public-limits.ts`).
  const limiter = {
    hit: async (kind: 'ip' | 'phone' | 'lookup', key: string, c: Context) => {
      const refused = await refusedAttempt(deps, c, kind, key);
      return refused ?? { allowed: true as const };
    },
  };
  const figures = campaignFiguresReader(deps);

  // The choices are the areas in force: the stored gazetteer, read at most once a minute per process.
  const registrationForm = async (
    c: Context,
    lang: Language,
    values: RegistrationValues,
    status: 200 | 400 | 429 = 200,
    errors = {},
    notice?: string,
  ) =>
    renderPage(
      c,
      <RegistrationPage
        lang={lang}
        values={values}
        errors={errors}
        areas={await areasInForce(deps.gazetteer)}
        {...(notice ? { notice } : {})}
      />,
      status,
    );

  const statusPage = (
    c: Context,
    lang: Language,
    props: Partial<Parameters<typeof StatusPage>[0]>,
    code: 200 | 400 | 404 | 429 = 200,
  ) =>
    renderPage(
      c,
      <StatusPage
        lang={lang}
        values={props.values ?? { reference: '', cnic: '', phone: '' }}
        errors={props.errors ?? {}}
        result={props.result}
        notice={props.notice}
      />,
      code,
    );

  return new Hono<AppEnv>()
    .get('/', (c) => registrationForm(c, langOf(c.req.query('lang')), EMPTY_REGISTRATION))
    .post('/register', async (c) => {
      const body = await c.req.parseBody({ all: true });
      const lang = langOf(formText(body, 'lang'));
      const values = readRegistrationForm(body);
      const now = deps.clock.now();
      const byIp = await limiter.hit('ip', clientIp(c), c);
      if (!byIp.allowed) {
        const minutes = waitMinutes(byIp);
        return registrationForm(c, lang, values, 429, {}, TEXT[lang].errors.rateLimited(minutes));
      }
      const result = validateRegistration(values, lang, now, await areasInForce(deps.gazetteer));
      if (!result.ok) return registrationForm(c, lang, values, 400, result.errors);
      const byPhone = await limiter.hit('phone', result.message.phone, c);
      if (!byPhone.allowed) {
        const minutes = waitMinutes(byPhone);
        return registrationForm(c, lang, values, 429, {}, TEXT[lang].errors.rateLimited(minutes));
      }
      await deps.enqueueRegistration(result.message);
      // Post/redirect/get: reloading the answer never registers twice.
      const query = lang === 'ur' ? '?lang=ur' : '';
      return c.redirect(`/registered/${result.message.reference}${query}`, 303);
    })
    .get('/registered/:reference', async (c) => {
      const lang = langOf(c.req.query('lang'));
      const reference = c.req.param('reference');
      if (!REFERENCE_PATTERN.test(reference))
        return c.redirect(lang === 'ur' ? '/status?lang=ur' : '/status', 303);
      // Once decided: the decision and the household's original reference (a repeat registration).
      // A lookup by reference, limited per address as on the status page; past it, the receipt alone.
      const byIp = await limiter.hit('ip', clientIp(c), c);
      const result = byIp.allowed
        ? await statusByReference(deps, reference, lang)
        : { reference, status: 'QUEUED' as const };
      return renderPage(
        c,
        <RegisteredPage
          lang={lang}
          reference={reference}
          {...(result.status === 'QUEUED' ? {} : { result })}
        />,
      );
    })
    .get('/status', async (c) => {
      const lang = langOf(c.req.query('lang'));
      const typed = c.req.query('reference')?.slice(0, 40);
      if (typed === undefined) return statusPage(c, lang, {});
      const reference = readReference(typed);
      const values: StatusFormValues = { reference: typed, cnic: '', phone: '' };
      if (!REFERENCE_PATTERN.test(reference)) {
        return statusPage(c, lang, { values, errors: { reference: TEXT[lang].errors.reference } }, 400);
      }
      // A lookup by reference counts against the address as the JSON route does.
      const byIp = await limiter.hit('ip', clientIp(c), c);
      if (!byIp.allowed) {
        const notice = TEXT[lang].errors.rateLimited(waitMinutes(byIp));
        return statusPage(c, lang, { values, notice }, 429);
      }
      return statusPage(c, lang, { values, result: await statusByReference(deps, reference, lang) });
    })
    .post('/status', async (c) => {
      const body = await c.req.parseBody();
      const lang = langOf(formText(body, 'lang'));
      const values: StatusFormValues = {
        reference: '',
        cnic: formText(body, 'cnic', 40),
        phone: formText(body, 'phone', 40),
      };
      // Limited too: this form would otherwise let anyone try CNICs against a phone number.
      const byIp = await limiter.hit('ip', clientIp(c), c);
      if (!byIp.allowed) {
        const notice = TEXT[lang].errors.rateLimited(waitMinutes(byIp));
        return statusPage(c, lang, { values, notice }, 429);
      }
      const t = TEXT[lang].errors;
      const cnic = normalizeCnic(values.cnic);
      const phone = normalizePhone(values.phone);
      if (!cnic.ok || !phone.ok) {
        const errors = {
          ...(cnic.ok ? {} : { cnic: values.cnic.trim() ? t.cnic : t.cnicMissing }),
          ...(phone.ok ? {} : { phone: values.phone.trim() ? t.phone : t.phoneMissing }),
        };
        return statusPage(c, lang, { values, errors }, 400);
      }
      // Per phone too: trying CNICs against one phone is cut off as on the JSON route.
      const byPhone = await limiter.hit('lookup', phone.phone, c);
      if (!byPhone.allowed) {
        const notice = TEXT[lang].errors.rateLimited(waitMinutes(byPhone));
        return statusPage(c, lang, { values, notice }, 429);
      }
      const result = await statusByCnicAndPhone(deps, cnic.cnic, phone.phone, lang);
      if (!result) return statusPage(c, lang, { values, notice: TEXT[lang].status.notFound }, 404);
      return statusPage(c, lang, { values, result });
    })
    .get('/campaigns/:id', async (c) => {
      const lang = langOf(c.req.query('lang'));
      const found = await figures(c.req.param('id'));
      if (!found) {
        const t = TEXT[lang].campaign;
        return renderPage(
          c,
          <PublicPage lang={lang} title={t.title} switchHref={lang === 'en' ? '/?lang=ur' : '/'}>
            <h1>{t.title}</h1>
            <p>{t.notFound}</p>
          </PublicPage>,
          404,
        );
      }
      const gazetteer = await areasInForce(deps.gazetteer);
      return renderPage(
        c,
        <CampaignPage lang={lang} figures={found} gazetteer={gazetteer} />,
        200,
        'public, max-age=30',
      );
    });
}

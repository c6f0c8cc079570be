/** @jsxImportSource hono/jsx */
import { formatAmount, type Language } from '@madad/core';
import type { PublicStatus } from '../status-lookup.js';
import { describedBy, Field } from './fields.js';
import { type PublicStatusWord, TEXT } from './i18n.js';
import { PublicPage } from './layout.js';

export interface StatusFormValues {
  readonly reference: string;
  readonly cnic: string;
  readonly phone: string;
}

export type StatusErrors = Partial<Record<keyof StatusFormValues, string>>;

interface StatusPageProps {
  readonly lang: Language;
  readonly values: StatusFormValues;
  readonly errors: StatusErrors;
  readonly result?: PublicStatus | undefined;
  readonly notice?: string | undefined;
}

const KNOWN = new Set(Object.keys(TEXT.en.status.words));

/** The outcome in plain words, what to do next, and the SMS we sent (it names the reason). */
function Outcome({ lang, result }: { lang: Language; result: PublicStatus }) {
  const t = TEXT[lang].status;
  const word = (KNOWN.has(result.status) ? result.status : 'RECEIVED') as PublicStatusWord;
  const [headline, next] = t.words[word];
  const details = 'decidedAt' in result ? result : undefined;
  return (
    <section class="notice" aria-live="polite" id="status-result">
      <p class="muted">
        {t.reference}: <span class="reference">{result.reference}</span>
      </p>
      <p class="status" data-status={result.status}>
        {headline}
      </p>
      {details?.amount !== undefined ? (
        <p>
          {t.amount}: <strong>{formatAmount(details.amount, lang)}</strong>
        </p>
      ) : null}
      <p>{next}</p>
      {details?.message ? (
        <>
          <h2>{t.sms}</h2>
          <blockquote>{details.message}</blockquote>
        </>
      ) : null}
      {details?.decidedAt ? (
        <p class="muted">
          {t.decidedAt}: <span dir="ltr">{details.decidedAt.slice(0, 16).replace('T', ' ')} UTC</span>
        </p>
      ) : null}
    </section>
  );
}

/** Status by reference (a GET form: a reference is not personal) or by CNIC and phone (POSTed). */
export function StatusPage({ lang, values, errors, result, notice }: StatusPageProps) {
  const t = TEXT[lang].status;
  const r = TEXT[lang].register;
  const q = lang === 'ur' ? '?lang=ur' : '';
  return (
    <PublicPage lang={lang} title={t.title} switchHref={lang === 'en' ? '/status?lang=ur' : '/status'}>
      <h1>{t.title}</h1>
      {notice ? (
        <div class="warn" role="alert" id="form-notice">
          {notice}
        </div>
      ) : null}
      {result ? <Outcome lang={lang} result={result} /> : null}
      <form method="get" action="/status" class="card">
        <h2>{t.byReference}</h2>
        <input type="hidden" name="lang" value={lang} />
        <Field id="reference" label={t.reference} hint={t.referenceHint} error={errors.reference}>
          <input
            id="reference"
            name="reference"
            class="ltr"
            dir="ltr"
            autocomplete="off"
            autocapitalize="characters"
            maxlength={20}
            value={values.reference}
            aria-describedby={describedBy('reference', true, errors.reference)}
            aria-invalid={errors.reference ? 'true' : undefined}
          />
        </Field>
        <button type="submit">{t.check}</button>
      </form>
      <form method="post" action={`/status${q}`} class="card">
        <h2>{t.byCnic}</h2>
        <input type="hidden" name="lang" value={lang} />
        <Field id="status-cnic" label={r.cnic} hint={r.cnicHint} error={errors.cnic}>
          <input
            id="status-cnic"
            name="cnic"
            class="ltr"
            dir="ltr"
            inputmode="numeric"
            autocomplete="off"
            maxlength={40}
            value={values.cnic}
            aria-describedby={describedBy('status-cnic', true, errors.cnic)}
            aria-invalid={errors.cnic ? 'true' : undefined}
          />
        </Field>
        <Field id="status-phone" label={r.phone} error={errors.phone}>
          <input
            id="status-phone"
            name="phone"
            type="tel"
            class="ltr"
            dir="ltr"
            inputmode="tel"
            maxlength={40}
            value={values.phone}
            aria-describedby={describedBy('status-phone', false, errors.phone)}
            aria-invalid={errors.phone ? 'true' : undefined}
          />
        </Field>
        <button type="submit">{t.check}</button>
      </form>
    </PublicPage>
  );
}

/** After a registration: the reference, large, and how to check the outcome. */
export function RegisteredPage({ lang, reference }: { lang: Language; reference: string }) {
  const t = TEXT[lang].done;
  const q = lang === 'ur' ? '&lang=ur' : '';
  const path = `/registered/${reference}`;
  return (
    <PublicPage lang={lang} title={t.title} switchHref={lang === 'en' ? `${path}?lang=ur` : path}>
      <h1>{t.title}</h1>
      <section class="notice" id="registered">
        <p>{t.yourReference}</p>
        <p>
          <span class="reference" id="reference-value">
            {reference}
          </span>
        </p>
        <p>{t.keep}</p>
        <p>{t.howToCheck}</p>
      </section>
      <p class="row">
        <a class="button" href={`/status?reference=${reference}${q}`}>
          {t.checkNow}
        </a>
        <a class="button secondary" href={lang === 'ur' ? '/?lang=ur' : '/'}>
          {t.another}
        </a>
      </p>
    </PublicPage>
  );
}

/** @jsxImportSource hono/jsx */
import { formatAmount, formatPakistanTime, type PageLanguage as Language } from '@madad/core';
import type { PublicStatus } from '../status-lookup.js';
import { TextField } from './fields.js';
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
          {t.decidedAt}: <span dir="ltr">{formatPakistanTime(details.decidedAt)}</span>
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
        <TextField
          id="reference"
          name="reference"
          label={t.reference}
          hint={t.referenceHint}
          error={errors.reference}
          value={values.reference}
          maxlength={20}
          autocomplete="off"
          autocapitalize="characters"
        />
        <button type="submit">{t.check}</button>
      </form>
      <form method="post" action={`/status${q}`} class="card">
        <h2>{t.byCnic}</h2>
        <input type="hidden" name="lang" value={lang} />
        <TextField
          id="status-cnic"
          name="cnic"
          label={r.cnic}
          hint={r.cnicHint}
          error={errors.cnic}
          value={values.cnic}
          maxlength={40}
          inputmode="numeric"
          autocomplete="off"
        />
        <TextField
          id="status-phone"
          name="phone"
          label={r.phone}
          error={errors.phone}
          value={values.phone}
          maxlength={40}
          type="tel"
          inputmode="tel"
        />
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

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

/**
 * The household's standing: a headline, the amount, and word for word the answer SMS STATUS gives
 * now (the same reply input: stage, reason, what to do next), so the page never promises what the
 * SMS does not say. Before a decision (queued) only the headline and what to expect.
 */
function Outcome({ lang, result }: { lang: Language; result: PublicStatus }) {
  const t = TEXT[lang].status;
  const known = KNOWN.has(result.status);
  const word = (known ? result.status : 'RECEIVED') as PublicStatusWord;
  const [headline, expect] = t.words[word];
  const details = 'message' in result ? result : undefined;
  // The SMS text says what to do next; the page's own sentence only while there is none.
  const next = details ? undefined : expect;
  return (
    <section class="notice" aria-live="polite" id="status-result">
      {result.reference ? (
        <p class="muted">
          {t.reference}: <span class="reference">{result.reference}</span>
        </p>
      ) : null}
      <p
        class="status"
        data-status={result.status}
        data-payment={details?.payment}
        data-appeal={details?.appeal}
      >
        {known || !details ? headline : details.message}
      </p>
      {details?.amount !== undefined ? (
        <p>
          {t.amount}: <strong>{formatAmount(details.amount, lang)}</strong>
        </p>
      ) : null}
      {next ? <p>{next}</p> : null}
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

/**
 * After a registration: the reference, large, and how to check the outcome. Once the registration
 * is decided, the household's own reference (the original one when the household had registered
 * before) and its standing, as the status page shows them.
 */
export function RegisteredPage({
  lang,
  reference: own,
  result,
}: {
  lang: Language;
  reference: string;
  result?: PublicStatus;
}) {
  const t = TEXT[lang].done;
  const q = lang === 'ur' ? '&lang=ur' : '';
  const path = `/registered/${own}`;
  const reference = result?.reference || own;
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
      {result ? <Outcome lang={lang} result={result} /> : null}
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

/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/** `aria-describedby` of a field: its hint and, when there is one, its error. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly children?: Child;
}

/** A labelled field with its hint and its error right above the control, as screen readers announce them. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

interface ErrorSummaryProps {
  readonly title: string;
  readonly errors: Readonly<Record<string, string | undefined>>;
}

/** The list of problems at the top of a form, each linking to its field. */
export function ErrorSummary({ title, errors }: ErrorSummaryProps) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="summary" role="alert" tabindex={-1} id="error-summary">
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface TextFieldProps {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly value: string;
  readonly maxlength: number;
  readonly type?: 'text' | 'tel';
  readonly inputmode?: 'numeric' | 'tel';
  readonly autocomplete?: string;
  readonly autocapitalize?: 'characters';
}

/** A left-to-right text input (numbers and references stay LTR on Urdu pages) in its labelled field. */
export function TextField(props: TextFieldProps) {
  const { id, label, hint, error } = props;
  return (
    <Field id={id} label={label} {...(hint ? { hint } : {})} error={error}>
      <input
        id={id}
        name={props.name}
        {...(props.type === 'tel' ? { type: 'tel' } : {})}
        class="ltr"
        dir="ltr"
        {...(props.inputmode ? { inputmode: props.inputmode } : {})}
        {...(props.autocomplete ? { autocomplete: props.autocomplete } : {})}
        {...(props.autocapitalize ? { autocapitalize: props.autocapitalize } : {})}
        maxlength={props.maxlength}
        value={props.value}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </Field>
  );
}

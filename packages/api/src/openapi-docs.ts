type Json = Record<string, unknown>;

const esc = (value: unknown) =>
  String(value).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** A schema's type as a reader writes it: `string (pattern ^C-…)`, `"flood" | "drought"`, `object[]`. */
function typeOf(schema: Json): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(options)) return options.filter(isJson).map(typeOf).join(' | ');
  if (schema.type === 'array' && isJson(schema.items)) {
    const item = typeOf(schema.items);
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  return typeof schema.type === 'string' ? schema.type : 'any';
}

function constraintsOf(schema: Json): string {
  const parts: string[] = [];
  const say = (key: string, label: string) => {
    if (schema[key] !== undefined)
      parts.push(`${label} ${typeof schema[key] === 'string' ? schema[key] : JSON.stringify(schema[key])}`);
  };
  say('format', 'format');
  // A named format (date-time) says it better than its generated pattern.
  if (schema.format === undefined) say('pattern', 'pattern');
  say('minimum', '≥');
  say('maximum', '≤');
  say('minLength', 'length ≥');
  say('maxLength', 'length ≤');
  say('minItems', 'items ≥');
  say('maxItems', 'items ≤');
  say('default', 'default');
  if (typeof schema.description === 'string') parts.push(schema.description);
  return parts.join('; ');
}

interface FieldRow {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly notes: string;
}

/** The fields of a body, nested ones as `areas[].tehsils`, each with its type and constraints. */
function fieldsOf(schema: Json, prefix = ''): FieldRow[] {
  const target = schema.type === 'array' && isJson(schema.items) ? schema.items : schema;
  const base = schema === target ? prefix : `${prefix}[]`;
  if (!isJson(target.properties)) return [];
  const required = new Set(Array.isArray(target.required) ? (target.required as string[]) : []);
  return Object.entries(target.properties).flatMap(([name, child]) => {
    if (!isJson(child)) return [];
    const path = base ? `${base}.${name}` : name;
    return [
      { name: path, type: typeOf(child), required: required.has(name), notes: constraintsOf(child) },
      ...fieldsOf(child, path),
    ];
  });
}

function bodyHtml(content: unknown): string {
  if (!isJson(content)) return '';
  return Object.entries(content)
    .map(([media, entry]) => {
      const schema = isJson(entry) && isJson(entry.schema) ? entry.schema : {};
      const rows = fieldsOf(schema);
      const closed =
        schema.additionalProperties === false ? ' <em>Unknown fields are refused (400).</em>' : '';
      const summary = rows.length === 0 ? `<p>${esc(constraintsOf(schema) || typeOf(schema))}</p>` : '';
      const table =
        rows.length === 0
          ? ''
          : `<table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows
              .map(
                (r) =>
                  `<tr><td><code>${esc(r.name)}</code></td><td><code>${esc(r.type)}</code></td><td>${r.required ? 'yes' : ''}</td><td>${esc(r.notes)}</td></tr>`,
              )
              .join('')}</tbody></table>`;
      return `<p class="media"><code>${esc(media)}</code>${closed}</p>${summary}${table}`;
    })
    .join('');
}

function parametersHtml(parameters: unknown): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return '';
  const rows = parameters.filter(isJson).map((p) => {
    const schema = isJson(p.schema) ? p.schema : {};
    const notes = [p.description, constraintsOf(schema)].filter(Boolean).join('; ');
    return `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td><code>${esc(typeOf(schema))}</code></td><td>${p.required ? 'yes' : ''}</td><td>${esc(notes)}</td></tr>`;
  });
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function accessHtml(operation: Json): string {
  if (Array.isArray(operation['x-roles']))
    return `Staff token with one of the roles: ${(operation['x-roles'] as string[]).map((r) => `<code>${esc(r)}</code>`).join(', ')}`;
  const security = operation.security as Json[] | undefined;
  if (security?.some((s) => 'webhookSignature' in s))
    return 'Signed by the SMS aggregator (<code>X-Madad-Signature</code>)';
  return 'Public (no login)';
}

function operationHtml(method: string, path: string, operation: Json): string {
  const id = esc(operation.operationId ?? `${method}-${path}`);
  const responses = isJson(operation.responses) ? operation.responses : {};
  const responseRows = Object.entries(responses)
    .map(([status, r]) => {
      const response = isJson(r) ? r : {};
      return `<li><strong>${esc(status)}</strong> ${esc(response.description ?? '')}${status.startsWith('2') ? bodyHtml(response.content) : ''}</li>`;
    })
    .join('');
  const body = isJson(operation.requestBody)
    ? `<h4>Request body</h4>${bodyHtml(operation.requestBody.content)}`
    : '';
  return `<section class="operation" id="${id}" data-operation="${esc(method.toUpperCase())} ${esc(path)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(operation.summary ?? '')}</p>
<p class="access">${accessHtml(operation)}</p>
${parametersHtml(operation.parameters)}${body}<h4>Responses</h4><ul>${responseRows}</ul>
</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
code{font-family:ui-monospace,monospace;font-size:.9em}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
.operation{border-top:2px solid #ddd;padding-top:.5rem;margin-top:1.5rem}.method{display:inline-block;min-width:4rem;
padding:0 .4rem;border-radius:3px;color:#fff;background:#555;font-family:ui-monospace,monospace}
.get{background:#1b6e3a}.post{background:#1d4f91}.patch{background:#8a5a00}.delete{background:#a11}
nav ul{columns:2;font-size:.9em}.access{color:#444}`;

/**
 * `/docs`: the OpenAPI document as one self-contained page (no script, no CDN: it works offline),
 * rendered on the server from the same document `/openapi.json` serves.
 */
export function renderApiDocs(document: Json): string {
  const info = isJson(document.info) ? document.info : {};
  const paths = isJson(document.paths) ? document.paths : {};
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    isJson(methods)
      ? Object.entries(methods).flatMap(([method, op]) => (isJson(op) ? [{ method, path, op }] : []))
      : [],
  );
  const toc = operations
    .map(
      ({ method, path, op }) =>
        `<li><a href="#${esc(op.operationId ?? '')}"><code>${esc(method.toUpperCase())} ${esc(path)}</code></a></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title ?? 'API')} API</title><style>${STYLE}</style></head><body>
<h1>${esc(info.title ?? 'API')} API <small>${esc(info.version ?? '')}</small></h1>
<p>${esc(info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${esc(document.openapi ?? '')}). ${operations.length} operations.</p>
<nav><ul>${toc}</ul></nav>
${operations.map(({ method, path, op }) => operationHtml(method, path, op)).join('\n')}
</body></html>`;
}

import { createHash } from 'node:crypto';
import type { JsonSchema, OpenApiDocument, OpenApiOperation } from '../http/openapi.js';

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#0b3d2e;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:24px}header p{margin:0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:16px 32px 64px}nav{margin:16px 0}nav a{margin-right:12px;color:#0b5cad}
h2{margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
summary{cursor:pointer;padding:8px 12px;list-style:none;display:flex;gap:12px;align-items:baseline}
summary::-webkit-details-marker{display:none}
.m{font:600 12px/1 ui-monospace,monospace;padding:4px 6px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
.path{font-family:ui-monospace,monospace}.summary{color:#57606a}.body{padding:0 16px 12px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px;overflow:auto;font-size:12px;max-height:360px}
code{font-family:ui-monospace,monospace}.lock{color:#9a6700;font-size:12px}
`;

/** The page's policy: nothing but its own inline stylesheet (by hash) may load or run. */
export const DOCS_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** A self-contained HTML reference of an OpenAPI document: no script, no external asset. */
export function docsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, { method: string; path: string; op: OpenApiOperation }[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const sections = [...byTag].map(
    ([tag, ops]) => `<section id="${anchor('tag', tag)}"><h2>${esc(tag)}</h2>${ops.map(({ method, path, op }) => operationHtml(method, path, op)).join('')}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(document.info.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(document.info.title)} <small>${esc(document.info.version)}</small></h1>
<p>${esc(document.info.description ?? '')}</p></header>
<main><p>Send the API key as <code>X-API-Key: &lt;key&gt;</code> or <code>Authorization: Bearer &lt;key&gt;</code>. The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<nav>${[...byTag.keys()].map((tag) => `<a href="#${anchor('tag', tag)}">${esc(tag)}</a>`).join('')}</nav>
${sections.join('\n')}
<h2>Schemas</h2>${Object.entries(document.components.schemas).map(([name, schema]) => `<details><summary><code>${esc(name)}</code></summary><div class="body">${schemaHtml(schema)}</div></details>`).join('')}
</main></body></html>`;
}

function operationHtml(method: string, path: string, op: OpenApiOperation): string {
  const params = op.parameters.length
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${op.parameters
        .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${esc(JSON.stringify(p.schema))}</code>${p.description ? `<br>${esc(p.description)}` : ''}</td></tr>`)
        .join('')}</table>`
    : '';
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' (required)' : ''}</h4>${op.requestBody.description ? `<p>${esc(op.requestBody.description)}</p>` : ''}${Object.entries(op.requestBody.content)
        .map(([type, media]) => `<p><code>${esc(type)}</code></p>${schemaHtml(media.schema)}`)
        .join('')}`
    : '';
  const responses = `<h4>Responses</h4>${Object.entries(op.responses)
    .map(([status, response]) => `<p><b>${esc(status)}</b> ${esc(response.description)}</p>${Object.entries(response.content ?? {}).map(([type, media]) => `<p><code>${esc(type)}</code></p>${schemaHtml(media.schema)}`).join('')}`)
    .join('')}`;
  const locked = op.security === undefined ? ' <span class="lock">key</span>' : '';
  return `<details id="${anchor('op', op.operationId)}"><summary><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span><span class="path">${esc(path)}</span><span class="summary">${esc(op.summary)}</span>${locked}</summary>
<div class="body"><p>${esc(op.description)} <code>operationId: ${esc(op.operationId)}</code></p>${params}${body}${responses}</div></details>`;
}

function schemaHtml(schema: JsonSchema): string {
  return `<pre>${esc(JSON.stringify(schema, null, 2))}</pre>`;
}

function anchor(kind: 'tag' | 'op', text: string): string {
  return `${kind}-${text.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

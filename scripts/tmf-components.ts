/**
 * Writes conformance/tmf-components.json: the TMF622 and TMF648 definitions our resources use,
 * as OpenAPI 3.1 component schemas (descriptions dropped, refs renamed `TMF622_X` / `TMF648_X`).
 * The served OpenAPI document embeds this small file instead of both whole documents.
 * Run: `npx tsx scripts/tmf-components.ts` (a unit test fails when the file is out of date).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = {
  TMF622: {
    file: 'TMF622-ProductOrdering-v4.0.0.swagger.json',
    roots: [
      'ProductOrder',
      'CancelProductOrder',
      'Error',
      'EventSubscription',
      'ProductOrderCreateEvent',
      'ProductOrderStateChangeEvent',
      'ProductOrderAttributeValueChangeEvent',
      'CancelProductOrderCreateEvent',
      'CancelProductOrderStateChangeEvent',
    ],
  },
  TMF648: {
    file: 'TMF648-Quote-v4.0.0.swagger.json',
    roots: [
      'Quote',
      'Error',
      'EventSubscription',
      'QuoteCreateEvent',
      'QuoteStateChangeEvent',
      'QuoteAttributeValueChangeEvent',
    ],
  },
} as const;

const conformance = new URL('../conformance/', import.meta.url);
export const componentsFile = new URL('tmf-components.json', conformance);

type Json = Record<string, unknown>;

const rewrite = (value: unknown, api: string): unknown => {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, api));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    if (key === 'description') continue;
    out[key] =
      key === '$ref' && typeof v === 'string'
        ? v.replace('#/definitions/', `#/components/schemas/${api}_`)
        : rewrite(v, api);
  }
  return out;
};

export const tmfComponents = (): Record<string, unknown> => {
  const schemas: Json = {};
  for (const [api, { file, roots }] of Object.entries(sources)) {
    const definitions = (
      JSON.parse(readFileSync(new URL(file, conformance), 'utf8')) as { definitions: Json }
    ).definitions;
    const pending: string[] = [...roots];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const definition = definitions[name];
      if (!definition) throw new Error(`${api} has no definition ${name}`);
      for (const m of JSON.stringify(definition).matchAll(/#\/definitions\/(\w+)/g)) pending.push(m[1]!);
    }
    for (const name of [...seen].sort()) schemas[`${api}_${name}`] = rewrite(definitions[name], api);
  }
  return schemas;
};

export const renderComponents = (): string => `${JSON.stringify(tmfComponents())}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(componentsFile, renderComponents());
  console.log(`wrote ${fileURLToPath(componentsFile)}`);
}

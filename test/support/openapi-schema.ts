import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Validates real answers against the success schemas of the API's own `/openapi.json`
 * (OpenAPI 3.1 = JSON Schema 2020-12), so a schema that lies about a handler fails a test.
 */
export const openApiValidator = async (baseUrl: string) => {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  // ajv-formats ships CommonJS; under ESM its default export may arrive wrapped.
  const addFormats =
    (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  /** The errors of `value` against `components.schemas[name]`; empty when it conforms. */
  return (name: string, value: unknown): string[] => {
    const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
    if (!validate) return [`no schema ${name}`];
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${name}${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
};

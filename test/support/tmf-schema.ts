import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The TM Forum documents in conformance/ (Swagger 2.0, draft-04 style definitions). */
const documents = {
  TMF622: 'TMF622-ProductOrdering-v4.0.0.swagger.json',
  TMF648: 'TMF648-Quote-v4.0.0.swagger.json',
} as const;
export type TmfApi = keyof typeof documents;

const createValidator = () => {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  // ajv-formats ships CommonJS; under ESM its default export may arrive wrapped.
  const addFormats =
    (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  addFormats(ajv);
  ajv.addFormat('float', true);
  // Adding each whole document lets `#/definitions/...` refs resolve inside it.
  for (const [api, file] of Object.entries(documents)) {
    const url = new URL(`../../conformance/${file}`, import.meta.url);
    ajv.addSchema(JSON.parse(readFileSync(url, 'utf8')) as object, `${api}.json`);
  }
  return ajv;
};

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

const validatorFor = (api: TmfApi, definitionName: string): ValidateFunction => {
  ajv ??= createValidator();
  const key = `${api}#${definitionName}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `${api}.json#/definitions/${definitionName}` });
    compiled.set(key, validate);
  }
  return validate;
};

export const validateTmf = (
  api: TmfApi,
  definitionName: string,
  value: unknown,
): { valid: boolean; errors: string[] } => {
  const validate = validatorFor(api, definitionName);
  const valid = validate(value) === true;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid, errors: valid ? [] : errors };
};

import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export type Tmf622Definition = 'ProductOrder' | 'CancelProductOrder' | 'Error';

const SCHEMA_ID = 'tmf622.json';
const documentUrl = new URL('../../conformance/TMF622-ProductOrdering-v4.0.0.swagger.json', import.meta.url);

const createValidator = () => {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  // ajv-formats ships CommonJS; under ESM its default export may arrive wrapped.
  const addFormats =
    (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  addFormats(ajv);
  ajv.addFormat('float', true);
  // Swagger 2.0 definitions are draft-04 style; adding the whole document lets `#/definitions/...` refs resolve.
  ajv.addSchema(JSON.parse(readFileSync(documentUrl, 'utf8')) as object, SCHEMA_ID);
  return ajv;
};

let ajv: Ajv | undefined;
const compiled = new Map<Tmf622Definition, ValidateFunction>();

const validatorFor = (definitionName: Tmf622Definition): ValidateFunction => {
  ajv ??= createValidator();
  let validate = compiled.get(definitionName);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${definitionName}` });
    compiled.set(definitionName, validate);
  }
  return validate;
};

export const validateTmf622 = (
  definitionName: Tmf622Definition,
  value: unknown,
): { valid: boolean; errors: string[] } => {
  const validate = validatorFor(definitionName);
  const valid = validate(value) === true;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid, errors: valid ? [] : errors };
};

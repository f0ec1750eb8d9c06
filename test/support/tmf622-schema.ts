import { validateTmf } from './tmf-schema.ts';

export type Tmf622Definition = 'ProductOrder' | 'CancelProductOrder' | 'Error' | 'EventSubscription';

export const validateTmf622 = (definitionName: Tmf622Definition, value: unknown) =>
  validateTmf('TMF622', definitionName, value);

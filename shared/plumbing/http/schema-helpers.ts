import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini ships without messages; the English locale gives field errors a readable text.
z.config(en());

/** A string of `min`..`max` characters (zod/mini: checks instead of methods, so it tree-shakes). */
export const text = (min: number, max: number) =>
  min > 0 ? z.string().check(z.minLength(min), z.maxLength(max)) : z.string().check(z.maxLength(max));

/** An array of at most `max` (and at least `min`) elements. */
export const list = <T extends z.core.SomeType>(item: T, min: number, max: number) =>
  z.array(item).check(z.minLength(min), z.maxLength(max));

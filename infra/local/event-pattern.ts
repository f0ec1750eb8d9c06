/**
 * EventBridge / Lambda event-filter pattern matching, for the subset the topology uses:
 * nested objects, arrays of literal values (any-of), `{ prefix }`, `{ exists }` and
 * `{ "anything-but": [...] }`. An unsupported operator throws instead of matching silently.
 */
type Matcher = string | number | boolean | null | Record<string, unknown>;

const matchOne = (value: unknown, matcher: Matcher, present: boolean): boolean => {
  if (matcher === null || typeof matcher !== 'object') {
    if (Array.isArray(value)) return value.some((v) => v === matcher);
    return present && value === matcher;
  }
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(String(matcher.prefix));
  if ('exists' in matcher) return present === Boolean(matcher.exists);
  if ('anything-but' in matcher) {
    const excluded = ([] as unknown[]).concat(matcher['anything-but']);
    return present && !excluded.includes(value);
  }
  throw new Error(`Unsupported event pattern operator: ${JSON.stringify(matcher)}`);
};

export const matchesPattern = (event: unknown, pattern: Record<string, unknown>): boolean => {
  const target = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const present = Object.hasOwn(target, key);
    const value = target[key];
    if (Array.isArray(rule)) return rule.some((m) => matchOne(value, m as Matcher, present));
    if (rule !== null && typeof rule === 'object')
      return present && matchesPattern(value, rule as Record<string, unknown>);
    throw new Error(`Pattern values must be arrays or objects (at ${key})`);
  });
};

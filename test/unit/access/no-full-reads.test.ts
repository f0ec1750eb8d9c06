import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { isFullRead } from '#local/read-audit';
import { api, functions } from '#topology';

const root = resolve(import.meta.dirname, '../../..');
const aliases: Record<string, string> = {
  '#adapters/': 'shared/adapters/',
  '#commands/': 'shared/commands/',
  '#domain/': 'shared/domain/',
  '#plumbing/': 'shared/plumbing/',
  '#ports/': 'shared/ports/',
  '#functions/': 'functions/',
};

const resolveImport = (from: string, spec: string): string | undefined => {
  if (spec === '#topology') return resolve(root, 'shared/topology.ts');
  if (spec === '#signals') return resolve(root, 'shared/signals.ts');
  for (const [alias, dir] of Object.entries(aliases))
    if (spec.startsWith(alias)) return resolve(root, dir, `${spec.slice(alias.length)}.ts`);
  if (spec.startsWith('.')) {
    const file = resolve(dirname(from), spec);
    return existsSync(file) ? file : `${file}.ts`;
  }
  return undefined;
};

type Node = { type: string; [key: string]: unknown };
type Parsed = { file: string; ast: Node };

const children = (node: Node): Node[] =>
  Object.entries(node).flatMap(([key, value]) => {
    if (key === 'loc' || key === 'start' || key === 'end') return [];
    const list = Array.isArray(value) ? value : [value];
    return list.filter(
      (v): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string',
    );
  });

const visitAll = (node: Node, fn: (n: Node) => void) => {
  fn(node);
  for (const child of children(node)) visitAll(child, fn);
};

/** Every project file a handler can reach through its imports (static, re-exports and dynamic). */
const reachable = (entry: string): Parsed[] => {
  const seen = new Map<string, Parsed>();
  const visit = (file: string) => {
    if (seen.has(file) || !file.endsWith('.ts') || !existsSync(file)) return;
    const ast = parse(readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['typescript'] })
      .program as unknown as Node;
    seen.set(file, { file, ast });
    visitAll(ast, (n) => {
      const source =
        n.type === 'ImportDeclaration' ||
        n.type === 'ExportNamedDeclaration' ||
        n.type === 'ExportAllDeclaration'
          ? (n.source as { value?: string } | null)?.value
          : n.type === 'ImportExpression'
            ? (n.source as { value?: string }).value
            : n.type === 'CallExpression' && (n.callee as Node).type === 'Import'
              ? ((n.arguments as Node[])[0] as { value?: string } | undefined)?.value
              : undefined;
      const target = typeof source === 'string' ? resolveImport(file, source) : undefined;
      if (target) visit(target);
    });
  };
  visit(resolve(root, entry));
  return [...seen.values()];
};

/** `new ScanCommand(...)`, and `new QueryCommand({...})` whose literal has no `Limit`. */
const fullReadsIn = ({ file, ast }: Parsed): string[] => {
  const found: string[] = [];
  visitAll(ast, (n) => {
    if (n.type !== 'NewExpression' || (n.callee as Node).type !== 'Identifier') return;
    const name = (n.callee as { name: string }).name;
    const where = `${file.slice(root.length + 1)}:${(n.loc as { start: { line: number } }).start.line}`;
    if (name === 'ScanCommand') found.push(`Scan at ${where}`);
    if (name === 'QueryCommand') {
      const arg = (n.arguments as Node[])[0];
      const hasLimit =
        arg?.type === 'ObjectExpression' &&
        (arg.properties as Node[]).some((p) => (p.key as { name?: string } | undefined)?.name === 'Limit');
      if (!hasLimit) found.push(`Query without a literal Limit at ${where}`);
    }
  });
  return found;
};

const requestHandlers = [...new Set(api.routes.map((r) => r.function))];

describe('no request handler can reach a full read', () => {
  it.each(requestHandlers)('%s: no Scan and no Query without Limit in any file it imports', (name) => {
    const files = reachable(functions[name].entry);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(fullReadsIn)).toEqual([]);
  });

  it('the check sees what it must: the rebuild tool scans, and a handler that imported it would fail', () => {
    const list = reachable(functions['order-list'].entry).map((p) => p.file.slice(root.length + 1));
    expect(list).toEqual(
      expect.arrayContaining(['shared/adapters/key-pages.ts', 'shared/plumbing/clients.ts']),
    );
    const rebuild = reachable('shared/adapters/projection-rebuild.ts');
    expect(rebuild.flatMap(fullReadsIn)).toEqual([
      expect.stringMatching(/^Scan at shared\/adapters\/projection-rebuild\.ts:/),
    ]);
  });

  it('classifies the recorded calls the same way', () => {
    expect(isFullRead('ScanCommand', { Limit: 10 })).toBe(true);
    expect(isFullRead('QueryCommand', {})).toBe(true);
    expect(isFullRead('QueryCommand', { Limit: 0 })).toBe(true);
    expect(isFullRead('QueryCommand', { Limit: 25 })).toBe(false);
    expect(isFullRead('GetItemCommand', {})).toBe(false);
  });
});

import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { type FunctionName, type FunctionSpec, functions } from '#topology';
import { bundleBudgetBytes, esbuildOptions } from '../../infra/bundling.ts';
import { projectRoot } from '../../infra/constructs/domain-function.ts';

const specs = Object.entries(functions) as [FunctionName, FunctionSpec][];

/** The handler's code as Lambda loads it: bundled with the CDK functions' own esbuild options. */
const bundledCode = async (spec: FunctionSpec) => {
  const outfile = path.join(
    projectRoot,
    'cdk.out',
    'bundle-check',
    `${path.basename(spec.entry, '.ts')}.mjs`,
  );
  const result = await build({
    ...esbuildOptions(path.join(projectRoot, spec.entry), outfile),
    write: false,
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  if (!code) throw new Error(`no bundle for ${spec.entry}`);
  return { code: code.text, sourceMap: result.outputFiles.some((f) => f.path.endsWith('.mjs.map')) };
};

describe('handler bundles', () => {
  it.each(specs)(
    `%s stays within ${bundleBudgetBytes / 1024} KB minified, source map separate`,
    async (_, spec) => {
      const { code, sourceMap } = await bundledCode(spec);
      expect(Buffer.byteLength(code)).toBeLessThanOrEqual(bundleBudgetBytes);
      expect(sourceMap).toBe(true);
      expect(code).not.toContain('sourceMappingURL=data:');
    },
  );
});

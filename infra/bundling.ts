/**
 * How every handler is bundled: the one set of esbuild options that the CDK functions use
 * (`DomainFunction`), the bundle budget check (test/infra/bundle-budget.test.ts) and the bench.
 * Plain data and esbuild only, no CDK imports.
 */
import type { BuildOptions } from 'esbuild';

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
export const esmRequireBanner =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * The AWS SDK v3 clients and the credential chain stay out of the bundle: the nodejs22.x runtime
 * provides them (the credential chain is the one the clients load anyway). Bundled,
 * the SDK alone (DynamoDB client, smithy core, credential chain) is ≈ 370 KB minified, over the
 * 300 KB budget before any handler code.
 *
 * `@aws-sdk/util-dynamodb` (marshalling functions, ≈ 5 KB minified) is bundled instead: each SDK
 * package the ES bundle imports is a CommonJS package that Node's module loader format-checks and
 * scans for its exports at init, even when lib-dynamodb has already required it. For the command
 * functions, whose idempotency layer imports util-dynamodb, that import alone measured ≈ 10 ms of
 * init CPU (bench/bundles.ts, ≈ 0.13 × its anchor), most of it V8 optimizing Node's export
 * scanner again on its background threads.
 */
export const externalModules = ['@aws-sdk/client-*', '@aws-sdk/lib-*', '@aws-sdk/credential-provider-node'];

/** Largest minified handler bundle (the .mjs; the source map is a separate, uploaded file). */
export const bundleBudgetBytes = 300 * 1024;

export const bundling = {
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  /** Source maps are uploaded with the code for debugging but not enabled at run time (init cost). */
  sourceMap: true,
  externalModules,
  banner: esmRequireBanner,
} as const;

/** The esbuild options `NodejsFunction` derives from `bundling` (its CLI flags, as build options). */
export const esbuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: bundling.format,
  target: bundling.target,
  mainFields: [...bundling.mainFields],
  minify: bundling.minify,
  sourcemap: bundling.sourceMap,
  external: [...bundling.externalModules],
  banner: { js: bundling.banner },
  logLevel: 'silent',
});

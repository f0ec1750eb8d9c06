import type { TestProject } from 'vitest/node';
import { startStackProcess } from './local-stack-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** One local stack for the end-to-end project; tests are its clients over HTTP. */
export default async function setup(project: TestProject) {
  const stack = await startStackProcess(['--time-scale', '0.02', '--downstream-timeout-ms', '800']);
  project.provide('baseUrl', stack.url);
  return async () => {
    await stack.stop();
  };
}

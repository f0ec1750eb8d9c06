import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const prismBin = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));

/** One finding of Prism's validator, as its `sl-violations` response header reports it. */
export type Violation = { location: string[]; severity: string; code?: string | number; message: string };

export type PrismProxy = { url: string; stop: () => void };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Stoplight Prism as a validating proxy: every request and response that passes is checked
 * against `document`, and what breaks it comes back in the `sl-violations` header (Prism runs
 * without `--errors`, so the test sees every violation and decides which are accepted quirks).
 */
export const startPrism = async (document: string, upstream: string): Promise<PrismProxy> => {
  const port = await freePort();
  const child: ChildProcess = spawn(
    prismBin,
    ['proxy', document, upstream, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited ${code}: ${output.slice(-2000)}`)));
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
};

export const violationsOf = (headers: Headers): Violation[] => {
  const raw = headers.get('sl-violations');
  return raw ? (JSON.parse(raw) as Violation[]) : [];
};

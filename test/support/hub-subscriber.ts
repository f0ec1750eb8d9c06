import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A channel's notification listener: records every TMF notification it is sent. */
export const startSubscriber = async (answer = 201) => {
  const received: Record<string, any>[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      if (answer < 300) received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    callback: `http://127.0.0.1:${port}/listener`,
    received,
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

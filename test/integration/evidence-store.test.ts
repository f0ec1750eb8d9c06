import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvidenceStore } from '#local/file-evidence-store';

const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local evidence store (stand-in for the Object Lock bucket)', () => {
  it('seals a record once: a second seal keeps the first copy, and the file is read-only', async () => {
    const store = createEvidenceStore(dir);
    const first = await store.seal('evidence/Quote/q-1/APPROVAL_DECISION/d-1.json', '{"a":1}');
    expect(first).toMatchObject({ sealedNow: true, body: '{"a":1}' });
    const again = await store.seal('evidence/Quote/q-1/APPROVAL_DECISION/d-1.json', '{"a":2}');
    expect(again).toMatchObject({ sealedNow: false, body: '{"a":1}', location: first.location });
    expect(statSync(first.location.replace('file://', '')).mode & 0o222).toBe(0);
    expect(await store.read('evidence/Quote/q-1/none.json')).toBeUndefined();
  });
});

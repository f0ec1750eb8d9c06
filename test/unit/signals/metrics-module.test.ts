import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  emit,
  emitDuplicateSubmit,
  emitGauge,
  emitRefusal,
  emitValues,
  emitValuesOf,
} from '#plumbing/metrics';

// Another project's global setup (integration, e2e) may have put Powertools in dev mode for the
// whole run (dev mode, a test namespace); in dev mode EMF goes to the global console, not to the
// stdout this test reads.
vi.hoisted(() => {
  delete process.env.POWERTOOLS_DEV;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  delete process.env.POWERTOOLS_METRICS_NAMESPACE;
});

type Emf = {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
} & Record<string, unknown>;

let written: Emf[] = [];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.startsWith('{"_aws"')) written.push(JSON.parse(text));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/** Each EMF document as `Name{dim=value}=value`. */
const emitted = () =>
  written.flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((group) =>
      group.Metrics.map((m) => {
        const dims = group.Dimensions[0]!.filter((d) => d !== 'service').map((d) => `${d}=${doc[d]}`);
        return `${m.Name}${dims.length ? `{${dims.join(',')}}` : ''}=${JSON.stringify(doc[m.Name])}`;
      }),
    ),
  );

describe('metrics module (EMF through Powertools)', () => {
  it('emits a signal on its total stream and on its breakdown stream, in the catalog unit and namespace', () => {
    emit('FalloutRaised', 1, 'DOWNSTREAM_REJECTED');
    expect(emitted()).toEqual(['FalloutRaised=1', 'FalloutRaised{reasonCode=DOWNSTREAM_REJECTED}=1']);
    expect(written[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('CpqOms');
    expect(written[0]!._aws.CloudWatchMetrics[0]!.Metrics[0]!.Unit).toBe('Count');
    expect(written[0]!.service).toBe('cpq-oms');
  });

  it('maps a refusal to the signals the catalog names for its code and operation', () => {
    emitRefusal('order-create', 'QUOTE_ALREADY_CONVERTED');
    expect(emitted().sort()).toEqual([
      'CommandRejected=1',
      'CommandRejected{code=QUOTE_ALREADY_CONVERTED}=1',
      'DuplicateConversionAttempts=1',
    ]);
    written = [];
    emitRefusal('order-create', 'QUOTE_NOT_ACCEPTED');
    expect(emitted().sort()).toEqual([
      'CommandRejected=1',
      'CommandRejected{code=QUOTE_NOT_ACCEPTED}=1',
      'ConversionFailures=1',
      'ConversionFailures{code=QUOTE_NOT_ACCEPTED}=1',
    ]);
    written = [];
    emitRefusal('quote-accept', 'STALE_PRICE');
    expect(emitted()).toContain('StalePriceRejected{operation=quote-accept}=1');
  });

  it('counts a duplicate submission per operation', () => {
    emitDuplicateSubmit('quote-create');
    expect(emitted()).toEqual([
      'DuplicateSubmitAttempts=1',
      'DuplicateSubmitAttempts{operation=quote-create}=1',
    ]);
  });

  it('emits a gauge with every breakdown value, zeros included', () => {
    emitGauge('OrdersInFallout', 3, { A: 3, B: 0 });
    expect(emitted()).toEqual([
      'OrdersInFallout=3',
      'OrdersInFallout{reasonCode=A}=3',
      'OrdersInFallout{reasonCode=B}=0',
    ]);
  });

  it('puts many values of one signal into one document', () => {
    emitValues('ProjectionLag', [5, 7, 9]);
    expect(emitted()).toEqual(['ProjectionLag=[5,7,9]']);
    emitValues('ProjectionLag', []);
    expect(written).toHaveLength(1);
  });

  it("puts many values of one breakdown stream (a view's lag) into one document", () => {
    emitValuesOf('ViewProjectionLag', 'approval-inbox', [4, 6]);
    expect(emitted()).toEqual(['ViewProjectionLag{view=approval-inbox}=[4,6]']);
  });
});

import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localSdkRequestTimeoutMs, sdkRequestTimeoutEnv } from '#plumbing/sdk-timeouts';
import { resourceEnv, type TableName } from '#topology';
import { localCredentials, localRegion, localStateMachineArn } from './local-aws.ts';
import {
  defaultInFlightWindowMs,
  type LocalStackOptions,
  localEventBus,
  physicalTableNames,
} from './stack-options.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the handlers find the local services and the stack's data folders. */
export type LocalPlaces = {
  url: string;
  internalUrl: string;
  dynamoEndpoint: string;
  lakeDir: string;
  evidenceDir: string;
};

/** The environment the handlers run with: the local stand-ins for what CDK wires in AWS. */
export const handlerEnvironment = (
  options: LocalStackOptions,
  places: LocalPlaces,
): Record<string, string> => {
  const inFlightWindowMs = options.downstreamInFlightWindowMs ?? defaultInFlightWindowMs;
  return {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: places.dynamoEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: places.dynamoEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: places.internalUrl,
    AWS_ENDPOINT_URL_SFN: places.internalUrl,
    ...Object.fromEntries(
      Object.entries(physicalTableNames).map(([table, name]) => [
        resourceEnv.tables[table as TableName],
        name,
      ]),
    ),
    [resourceEnv.eventBus]: localEventBus,
    [resourceEnv.stateMachines.fulfillment]: localStateMachineArn('fulfillment'),
    [resourceEnv.stateMachines.reconciliation]: localStateMachineArn('reconciliation'),
    [resourceEnv.downstream.provisioning]: `${places.internalUrl}/downstream/provisioning`,
    [resourceEnv.downstream.billing]: `${places.internalUrl}/downstream/billing`,
    [resourceEnv.publicBaseUrl]: places.url,
    // Generated per stack unless a fixed development key is given: cursors die with the stack.
    [resourceEnv.cursorKey]: process.env[resourceEnv.cursorKey] ?? randomBytes(32).toString('base64url'),
    [resourceEnv.facts.localEngine]: resolve(projectRoot, 'infra/local/duckdb-facts.ts'),
    [resourceEnv.facts.localDir]: places.lakeDir,
    [resourceEnv.evidence.localStore]: resolve(projectRoot, 'infra/local/file-evidence-store.ts'),
    [resourceEnv.evidence.localDir]: places.evidenceDir,
    DOWNSTREAM_TIMEOUT_MS: String(options.downstreamTimeoutMs ?? 1000),
    [sdkRequestTimeoutEnv]: process.env[sdkRequestTimeoutEnv] ?? String(localSdkRequestTimeoutMs),
    [resourceEnv.downstreamInFlightWindowMs.provisioning]: String(inFlightWindowMs),
    [resourceEnv.downstreamInFlightWindowMs.billing]: String(inFlightWindowMs),
    // Test subscribers listen on 127.0.0.1 (that literal host only); in AWS callbacks must be public HTTPS.
    HUB_LOCAL_CALLBACK_HOSTS: '127.0.0.1',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_SERVICE_NAME: 'cpq-oms',
    POWERTOOLS_METRICS_NAMESPACE: 'CpqOms',
    // Dev mode turns metrics off unless told otherwise: the local sink is their CloudWatch.
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
};

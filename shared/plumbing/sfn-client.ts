import type * as Sfn from '@aws-sdk/client-sfn';
import { sdkMaxAttempts, sdkRequestHandler, timeoutsNotRetried } from './sdk-timeouts.ts';

type StepFunctions = { client: Sfn.SFNClient; sdk: typeof Sfn };
let loaded: Promise<StepFunctions> | undefined;

/**
 * One Step Functions client per runtime (endpoint from `AWS_ENDPOINT_URL_SFN` locally), its SDK
 * loaded at first use: every reconciliation function holds the check that may restart a stranded
 * order, yet most never call Step Functions, so none loads the SDK at init. Later calls reuse
 * the loaded module and client.
 */
export const stepFunctions = (): Promise<StepFunctions> => {
  loaded ??= import('@aws-sdk/client-sfn').then((sdk) => ({
    sdk,
    client: timeoutsNotRetried(
      new sdk.SFNClient({ maxAttempts: sdkMaxAttempts, requestHandler: sdkRequestHandler() }),
    ),
  }));
  return loaded;
};

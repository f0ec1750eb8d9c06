import { SFNClient } from '@aws-sdk/client-sfn';

let sfn: SFNClient | undefined;

/** One Step Functions client per runtime (endpoint from `AWS_ENDPOINT_URL_SFN` locally). */
export const sfnClient = (): SFNClient => {
  sfn ??= new SFNClient({});
  return sfn;
};

/** DynamoDB Local and the local endpoints accept any credentials; these are fixed and fake. */
export const localRegion = 'us-east-1';
export const localAccount = '000000000000';
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localFunctionArn = (name: string) =>
  `arn:aws:lambda:${localRegion}:${localAccount}:function:${name}`;
export const localStateMachineArn = (name: string) =>
  `arn:aws:states:${localRegion}:${localAccount}:stateMachine:${name}`;

import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { FunctionName, StateMachineName } from '#topology';
import { type IamRequest, iamRequestsOf, type RequestMapping } from './iam-requests.ts';
import { invocationScope } from './invocation-scope.ts';
import { localAccount, localFunctionArn, localRegion } from './local-aws.ts';
import {
  localQueueArn,
  localStreamArn,
  type PolicyDocument,
  type ResolvedPolicies,
} from './template-policies.ts';

/** Who makes a call: a role with its identity policies, or an AWS service (resource policies only). */
export type Caller =
  | { role: string; policies: PolicyDocument[]; session: string }
  | { service: string; sourceArn: string };

/** What S3 answers a request IAM denies. */
export class S3AccessDenied extends Error {
  override readonly name = 'AccessDenied';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 403 };
}

/** Who invokes a function locally, as the template knows them. */
export type InvokedBy =
  | { stateMachine: StateMachineName }
  | { schedule: string }
  | { rule: string }
  /** API Gateway: a method request (the function's resource policy, aws:SourceArn of the method). */
  | { apiMethod: { method: string; path: string } }
  | { apiAuthorizer: true }
  /** Event source mappings poll with the function's own role: the stream of a table, a queue. */
  | { stream: string }
  | { queue: string };

/** What AWS answers a call IAM denies (HTTP 400 for the JSON-protocol services). */
export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
}

export type Denial = {
  caller: string;
  action: string;
  resource: string;
  context: IamRequest['context'];
  at: string;
};

const callerName = (caller: Caller) =>
  'role' in caller
    ? `arn:aws:sts::${localAccount}:assumed-role/${caller.role.slice(caller.role.lastIndexOf('/') + 1)}/${caller.session}`
    : caller.service;

/**
 * IAM as AWS evaluates it, over the policies of the synthesized template
 * (`@cloud-copilot/iam-simulate`): identity policies of the calling role, the resource policy of
 * the resource called, with the condition keys of the request. Decisions are cached per request.
 */
export class IamEnforcement {
  private readonly decisions = new Map<string, Promise<boolean>>();
  /** Stream of each shard iterator handed out: GetRecords is authorized on the iterator's stream. */
  private readonly iterators = new Map<string, string>();
  readonly denials: Denial[] = [];

  constructor(readonly policies: ResolvedPolicies) {}

  functionCaller(fn: FunctionName): Caller {
    const role = this.policies.functionRoles[fn];
    if (!role) throw new Error(`No role for ${fn} in the synthesized template`);
    return { role: role.roleArn, policies: role.policies, session: fn };
  }

  /** What AWS authorizes before the function runs: the invoker's lambda:InvokeFunction, or the mapping's reads. */
  authorizeInvocation(invokedBy: InvokedBy, fn: FunctionName): Promise<void> {
    if ('stream' in invokedBy)
      return this.authorize(
        this.functionCaller(fn),
        ['DescribeStream', 'GetShardIterator', 'GetRecords'].map((op) => ({
          action: `dynamodb:${op}`,
          resource: localStreamArn(invokedBy.stream),
          context: {},
        })),
      );
    if ('queue' in invokedBy)
      return this.authorize(
        this.functionCaller(fn),
        ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'].map((op) => ({
          action: `sqs:${op}`,
          resource: localQueueArn(invokedBy.queue),
          context: {},
        })),
      );
    return this.authorizeInvoke(this.callerOf(invokedBy), fn);
  }

  /** A stream's on-failure destination: Lambda sends the batch pointer with the function's role. */
  authorizeOnFailure(fn: FunctionName, queue: string): Promise<void> {
    return this.authorize(this.functionCaller(fn), [
      { action: 'sqs:SendMessage', resource: localQueueArn(queue), context: {} },
    ]);
  }

  /**
   * CloudWatch publishing an alarm's state change to the alarm topic: allowed only by the topic's
   * policy (a topic policy replaces the default one), for alarms of this account and stage.
   */
  authorizeAlarmNotification(alarmName: string): Promise<void> {
    const topics = Object.keys(this.policies.resourcePolicies).filter((arn) =>
      arn.startsWith('arn:aws:sns:'),
    );
    if (topics.length === 0) throw new Error('No alarm topic in the synthesized template');
    const caller: Caller = {
      service: 'cloudwatch.amazonaws.com',
      sourceArn: `arn:aws:cloudwatch:${localRegion}:${localAccount}:alarm:${alarmName}`,
    };
    return this.authorize(
      caller,
      topics.map((resource) => ({
        action: 'sns:Publish',
        resource,
        context: { 'aws:SourceAccount': localAccount },
      })),
    );
  }

  callerOf(invokedBy: Exclude<InvokedBy, { stream: string } | { queue: string }>): Caller {
    const { restApiId, stage, authorizerId } = this.policies.api;
    const executeApi = `arn:aws:execute-api:${localRegion}:${localAccount}:${restApiId}`;
    if ('apiMethod' in invokedBy)
      return {
        service: 'apigateway.amazonaws.com',
        sourceArn: `${executeApi}/${stage}/${invokedBy.apiMethod.method}${invokedBy.apiMethod.path}`,
      };
    if ('apiAuthorizer' in invokedBy)
      return { service: 'apigateway.amazonaws.com', sourceArn: `${executeApi}/authorizers/${authorizerId}` };
    if ('rule' in invokedBy) {
      const sourceArn = this.policies.ruleArns[invokedBy.rule];
      if (!sourceArn) throw new Error(`No event rule ${invokedBy.rule} in the synthesized template`);
      return { service: 'events.amazonaws.com', sourceArn };
    }
    const [role, session] =
      'stateMachine' in invokedBy
        ? [this.policies.stateMachineRoles[invokedBy.stateMachine], invokedBy.stateMachine]
        : [this.policies.scheduleRoles[invokedBy.schedule], invokedBy.schedule];
    if (!role) throw new Error(`No role for ${session} in the synthesized template`);
    return { role: role.roleArn, policies: role.policies, session };
  }

  private decide(caller: Caller, request: IamRequest): Promise<boolean> {
    const resourcePolicy = this.resourcePolicyOf(request.resource);
    const context =
      'service' in caller ? { ...request.context, 'aws:SourceArn': caller.sourceArn } : request.context;
    const key = JSON.stringify([callerName(caller), request.action, request.resource, context]);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = runSimulation(
        {
          identityPolicies:
            'role' in caller ? caller.policies.map((policy, i) => ({ name: `policy${i}`, policy })) : [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(resourcePolicy ? { resourcePolicy } : {}),
          request: {
            principal: 'role' in caller ? caller.role : caller.service,
            action: request.action,
            resource: { resource: request.resource, accountId: localAccount },
            contextVariables: context,
          },
        },
        {},
      ).then((result) => {
        if (result.resultType === 'error')
          throw new Error(
            `IAM simulation of ${request.action} on ${request.resource}: ${result.errors.message}`,
          );
        return result.overallResult === 'Allowed';
      });
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** S3 objects are governed by their bucket's policy, everything else by its own. */
  private resourcePolicyOf(resource: string): PolicyDocument | undefined {
    const bucket = /^arn:aws:s3:::([^/]+)\//.exec(resource)?.[1];
    return this.policies.resourcePolicies[bucket ? `arn:aws:s3:::${bucket}` : resource];
  }

  /** Throws AccessDeniedException, as AWS answers, unless every authorization of the call is allowed. */
  async authorize(caller: Caller, requests: IamRequest[]): Promise<void> {
    for (const request of requests) {
      if (await this.decide(caller, request)) continue;
      const denial = {
        caller: callerName(caller),
        action: request.action,
        resource: request.resource,
        context: request.context,
        at: new Date().toISOString(),
      };
      this.denials.push(denial);
      throw new AccessDeniedException(
        `User: ${denial.caller} is not authorized to perform: ${request.action} on resource: ${request.resource}` +
          (Object.keys(request.context).length ? ` (${JSON.stringify(request.context)})` : ''),
      );
    }
  }

  /**
   * An S3 object request of the running function on `bucket` (the evidence store's file stand-in):
   * its role and the bucket policy, over TLS as the SDK always calls; ListBucket with `s3:prefix`.
   */
  async authorizeObject(bucket: string, action: string, key: string): Promise<void> {
    const fn = invocationScope.getStore();
    if (!fn) return;
    const list = action === 's3:ListBucket';
    try {
      await this.authorize(this.functionCaller(fn), [
        {
          action,
          resource: list ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`,
          context: { 'aws:SecureTransport': 'true', ...(list ? { 's3:prefix': key } : {}) },
        },
      ]);
    } catch (error) {
      throw new S3AccessDenied((error as Error).message);
    }
  }

  /** lambda:InvokeFunction by a service or a role (Step Functions, Scheduler, EventBridge, API Gateway). */
  authorizeInvoke(caller: Caller, fn: FunctionName): Promise<void> {
    return this.authorize(caller, [
      { action: 'lambda:InvokeFunction', resource: localFunctionArn(fn), context: {} },
    ]);
  }

  /**
   * Every call a handler makes through this SDK client is authorized as the running function's
   * role before it is sent; calls outside a handler (the local stack's own) are not.
   */
  enforceOn(
    client: { middlewareStack: { add: (...args: never[]) => void }; config: object },
    mapping: Omit<RequestMapping, 'iteratorStream'>,
  ) {
    const requestMapping: RequestMapping = { ...mapping, iteratorStream: (it) => this.iterators.get(it) };
    const signingName = async (context: Record<string, unknown>) =>
      String(
        (context.signing_service as string) ?? (client.config as { signingName?: string }).signingName ?? '',
      );
    type Next = (args: { input: object }) => Promise<{ output: Record<string, unknown> }>;
    const middleware = (next: Next, context: Record<string, unknown>) => async (args: { input: object }) => {
      const fn = invocationScope.getStore();
      if (fn) {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        const service = serviceOf(String(context.clientName ?? ''), await signingName(context));
        await this.authorize(
          this.functionCaller(fn),
          iamRequestsOf(service, operation, args.input, requestMapping),
        );
      }
      const result = await next(args);
      const input = args.input as { StreamArn?: string; ShardIterator?: string };
      const stream =
        input.StreamArn ?? (input.ShardIterator ? this.iterators.get(input.ShardIterator) : undefined);
      if (input.ShardIterator) this.iterators.delete(input.ShardIterator);
      for (const key of ['ShardIterator', 'NextShardIterator'])
        if (stream && typeof result.output?.[key] === 'string')
          this.iterators.set(result.output[key] as string, stream);
      return result;
    };
    (client.middlewareStack.add as (m: unknown, o: unknown) => void)(middleware, {
      step: 'initialize',
      name: 'localIamEnforcement',
      priority: 'high',
    });
  }
}

const serviceOf = (clientName: string, signing: string): string => {
  if (clientName.startsWith('DynamoDB')) return 'dynamodb';
  if (clientName.startsWith('EventBridge')) return 'events';
  if (clientName.startsWith('SFN')) return 'states';
  return signing;
};

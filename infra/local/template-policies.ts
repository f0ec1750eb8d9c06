import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FunctionName,
  functions,
  type QueueName,
  queues,
  resourceEnv,
  type StateMachineName,
  schedules,
  stateMachines,
  type TableName,
} from '#topology';
import { localAccount, localFunctionArn, localRegion, localStateMachineArn } from './local-aws.ts';

/** An IAM policy document as the template holds it, its intrinsics resolved to local ARNs. */
export type PolicyDocument = { Version?: string; Statement: Record<string, unknown>[] };
type Template = {
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
  Parameters?: Record<string, unknown>;
};
// biome-ignore lint/suspicious/noExplicitAny: template JSON, read by shape.
type Json = any;
type Resource = { Type: string; Properties?: Record<string, Json>; Metadata?: Record<string, Json> };

/** What the local stack calls its resources; the resolved ARNs name these. */
export type LocalNames = {
  tables: Record<TableName, string>;
  eventBus: string;
  evidenceBucket: string;
};

/**
 * Every IAM policy of the synthesized app that the local stack enforces, with ARNs as the local
 * resources have them (one account, one region): each function's role policy, the roles of state
 * machines and schedules, and the resource policies (Lambda permissions, queue, topic, bucket and
 * key policies).
 */
export type ResolvedPolicies = {
  functionRoles: Record<FunctionName, { roleArn: string; policies: PolicyDocument[] }>;
  stateMachineRoles: Record<StateMachineName, { roleArn: string; policies: PolicyDocument[] }>;
  scheduleRoles: Record<string, { roleArn: string; policies: PolicyDocument[] }>;
  /** Resource policy per resource ARN (the function's permissions, a queue's or topic's policy…). */
  resourcePolicies: Record<string, PolicyDocument>;
  /** The REST API and its token authorizer as the Lambda permissions name them (aws:SourceArn). */
  api: { restApiId: string; stage: string; authorizerId: string };
  /** Event rules by topology name → their local ARN (aws:SourceArn of their invocations). */
  ruleArns: Record<string, string>;
};

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${localRegion}:${localAccount}:${resource}`;
export const localTableArn = (table: string) => arn('dynamodb', `table/${table}`);
export const localRoleArn = (name: string) => `arn:aws:iam::${localAccount}:role/${name}`;
export const localQueueArn = (queue: string) => arn('sqs', queue);
export const localEventBusArn = (bus: string) => arn('events', `event-bus/${bus}`);
export const localRuleArn = (bus: string, rule: string) => arn('events', `rule/${bus}/${rule}`);
/** One stream per table locally; every stream ARN of a table is checked as this one. */
export const localStreamArn = (table: string) => `${localTableArn(table)}/stream/local`;

/** The construct path below the stack (nested stacks included), e.g. `Functions/hub/Resource`. */
const pathOf = (r: Resource): string => String(r.Metadata?.['aws:cdk:path'] ?? '');
const endsWith = (r: Resource, suffix: string) => pathOf(r).endsWith(`/${suffix}`);

type Scope = {
  id: string;
  template: Template;
  parameters: Record<string, unknown>;
  /** Physical names and attributes of the resources, by logical id. */
  refs: Map<string, string>;
  attrs: Map<string, Record<string, string>>;
  nested: Map<string, Scope>;
};

/**
 * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and nested-stack outputs
 * into the values the local stack's resources have.
 */
const resolver = (scope: Scope) => {
  const pseudo: Record<string, string> = {
    'AWS::Region': localRegion,
    'AWS::AccountId': localAccount,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': scope.id,
  };
  const ref = (name: string): unknown => {
    if (name in pseudo) return pseudo[name];
    if (name in scope.parameters) return scope.parameters[name];
    return scope.refs.get(name) ?? name;
  };
  const getAtt = (id: string, attr: string): unknown => {
    if (attr.startsWith('Outputs.')) {
      const child = scope.nested.get(id);
      const output = child?.template.Outputs?.[attr.slice('Outputs.'.length)];
      return child && output ? resolver(child)(output.Value) : `${id}.${attr}`;
    }
    return scope.attrs.get(id)?.[attr] ?? arn('local', `${scope.id}/${id}/${attr}`);
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const o = value as Record<string, Json>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const v = o[k];
      if (k === 'Ref') return ref(v);
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(v) ? v : String(v).split(/\.(.+)/);
        return getAtt(id, attr);
      }
      if (k === 'Fn::Join') return (resolve(v[1]) as unknown[]).map(String).join(v[0]);
      if (k === 'Fn::Select') return (resolve(v[1]) as unknown[])[Number(resolve(v[0]))];
      if (k === 'Fn::Split') return String(resolve(v[1])).split(v[0]);
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(v) ? [v[0] as string, v[1] ?? {}] : [v as string, {}];
        return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in vars) return String(resolve(vars[name]));
          const [id, attr] = name.split(/\.(.+)/) as [string, string | undefined];
          return String(attr ? getAtt(id, attr) : ref(id));
        });
      }
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(o[k])]));
  };
  return resolve;
};

/** Local names and ARNs of the resources the local stack has; the rest get names of their own. */
const nameResources = (scope: Scope, names: LocalNames, envRefs: Map<string, string>) => {
  for (const [id, r] of Object.entries(scope.template.Resources ?? {})) {
    const own = `${scope.id}-${id}`;
    switch (r.Type) {
      case 'AWS::Lambda::Function': {
        const fn = (Object.keys(functions) as FunctionName[]).find((n) => endsWith(r, `${n}/Resource`));
        const name = fn ?? own;
        scope.refs.set(id, name);
        scope.attrs.set(id, { Arn: localFunctionArn(name) });
        break;
      }
      case 'AWS::DynamoDB::Table': {
        const name = envRefs.get(`${scope.id}/${id}`) ?? own;
        scope.refs.set(id, name);
        scope.attrs.set(id, { Arn: localTableArn(name), StreamArn: localStreamArn(name) });
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const machine = (Object.keys(stateMachines) as StateMachineName[]).find((m) =>
          pathOf(r).includes(`/StateMachine-${m}/`),
        );
        const name = machine ?? own;
        scope.refs.set(id, localStateMachineArn(name));
        scope.attrs.set(id, { Arn: localStateMachineArn(name), Name: name });
        break;
      }
      case 'AWS::Events::EventBus': {
        const name = envRefs.get(`${scope.id}/${id}`) ?? own;
        scope.refs.set(id, name);
        scope.attrs.set(id, { Arn: localEventBusArn(name), Name: name });
        break;
      }
      case 'AWS::IAM::Role':
        scope.refs.set(id, own);
        scope.attrs.set(id, { Arn: localRoleArn(own), RoleId: own });
        break;
      case 'AWS::SQS::Queue': {
        const name =
          (Object.keys(queues) as QueueName[]).find((q) => endsWith(r, `Queues/${q}/Resource`)) ?? own;
        scope.refs.set(id, `https://sqs.${localRegion}.amazonaws.com/${localAccount}/${name}`);
        scope.attrs.set(id, { Arn: localQueueArn(name), QueueName: name, QueueUrl: scope.refs.get(id)! });
        break;
      }
      case 'AWS::SNS::Topic':
        scope.refs.set(id, arn('sns', own));
        scope.attrs.set(id, { TopicArn: arn('sns', own), TopicName: own });
        break;
      case 'AWS::S3::Bucket': {
        const name = envRefs.get(`${scope.id}/${id}`) ?? own.toLowerCase();
        scope.refs.set(id, name);
        scope.attrs.set(id, { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` });
        break;
      }
      case 'AWS::Events::Rule': {
        const rule = pathOf(r).split('/').at(-2) ?? own;
        scope.refs.set(id, rule);
        scope.attrs.set(id, { Arn: localRuleArn(names.eventBus, rule) });
        break;
      }
      case 'AWS::ApiGateway::Stage':
        scope.refs.set(id, String(r.Properties?.StageName ?? own));
        break;
      case 'AWS::KMS::Key':
        scope.refs.set(id, own);
        scope.attrs.set(id, { Arn: arn('kms', `key/${own}`), KeyId: own });
        break;
      default:
        scope.refs.set(id, own);
    }
  }
};

/** The app synthesized in-process without bundling (seconds), every stack's template by id. */
/** The stack name the local synthesis gives the app (names of alarms and queues start with it). */
export const localStackName = 'CpqOmsStack';

const synthesize = async (): Promise<{
  root: Template;
  load: (file: string) => Template;
  cleanup: () => void;
}> => {
  // Loaded only to synthesize: a start with cached policies does not load the CDK app at all.
  const [{ App }, { CpqOmsStack, cdkJsonContext }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../stack.ts'),
  ]);
  const outdir = mkdtempSync(join(tmpdir(), 'cpq-oms-synth-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:enable-path-metadata': true,
      // Nested stacks name their template file in this metadata (the CLI sets it; an App does not).
      'aws:cdk:enable-asset-metadata': true,
    },
  });
  const stack = new CpqOmsStack(app, localStackName);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  return {
    root: artifact.template as Template,
    load: (file) => JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) as Template,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
};

/** Builds the scope tree: each nested stack's template with the parameters its parent passes. */
const scopeTree = (
  id: string,
  template: Template,
  parameters: Record<string, unknown>,
  load: (file: string) => Template,
  names: LocalNames,
): Scope => {
  const scope: Scope = { id, template, parameters, refs: new Map(), attrs: new Map(), nested: new Map() };
  // Which logical ids are the tables and bus the local stack provides: the functions' environment names them.
  const envRefs = new Map<string, string>();
  const envNames: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(resourceEnv.tables).map(([t, v]) => [v, names.tables[t as TableName]]),
    ),
    [resourceEnv.eventBus]: names.eventBus,
    [resourceEnv.evidence.bucket]: names.evidenceBucket,
  };
  for (const r of Object.values(template.Resources ?? {})) {
    const vars = r.Type === 'AWS::Lambda::Function' ? r.Properties?.Environment?.Variables : undefined;
    for (const [key, value] of Object.entries(vars ?? {}))
      if (key in envNames && (value as { Ref?: string })?.Ref)
        envRefs.set(`${id}/${(value as { Ref: string }).Ref}`, envNames[key]!);
  }
  nameResources(scope, names, envRefs);
  const resolve = resolver(scope);
  for (const [childId, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = r.Metadata?.['aws:asset:path'] as string | undefined;
    if (!file) continue;
    const childParams = resolve(r.Properties?.Parameters ?? {}) as Record<string, unknown>;
    scope.nested.set(childId, scopeTree(`${id}.${childId}`, load(file), childParams, load, names));
  }
  return scope;
};

const allScopes = (scope: Scope): Scope[] => [scope, ...[...scope.nested.values()].flatMap(allScopes)];

/** Everything each role's inline and attached policies allow, by role name. */
const rolePolicies = (scopes: Scope[]): Map<string, PolicyDocument[]> => {
  const byRole = new Map<string, PolicyDocument[]>();
  const add = (role: string, doc: PolicyDocument) => byRole.set(role, [...(byRole.get(role) ?? []), doc]);
  for (const scope of scopes) {
    const resolve = resolver(scope);
    for (const [id, r] of Object.entries(scope.template.Resources ?? {})) {
      if (r.Type === 'AWS::IAM::Role')
        for (const p of (r.Properties?.Policies ?? []) as { PolicyDocument: unknown }[])
          add(scope.refs.get(id)!, resolve(p.PolicyDocument) as PolicyDocument);
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
        const doc = resolve(r.Properties?.PolicyDocument) as PolicyDocument;
        for (const role of resolve(r.Properties?.Roles ?? []) as string[]) add(role, doc);
      }
    }
  }
  return byRole;
};

const roleName = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/** Resource policies by the ARN of the resource they protect. */
const resourcePolicies = (scopes: Scope[]): Record<string, PolicyDocument> => {
  const out: Record<string, PolicyDocument> = {};
  const add = (target: string, statements: Record<string, unknown>[]) => {
    out[target] ??= { Version: '2012-10-17', Statement: [] };
    out[target].Statement.push(...statements);
  };
  for (const scope of scopes) {
    const resolve = resolver(scope);
    for (const [id, r] of Object.entries(scope.template.Resources ?? {})) {
      const p = resolve(r.Properties ?? {}) as Record<string, Json>;
      if (r.Type === 'AWS::Lambda::Permission') {
        const fnArn = String(p.FunctionName).startsWith('arn:')
          ? p.FunctionName
          : localFunctionArn(p.FunctionName);
        const principal = String(p.Principal);
        add(fnArn, [
          {
            Effect: 'Allow',
            Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
            Action: p.Action,
            Resource: fnArn,
            ...(p.SourceArn ? { Condition: { ArnLike: { 'aws:SourceArn': p.SourceArn } } } : {}),
          },
        ]);
      }
      if (r.Type === 'AWS::SQS::QueuePolicy')
        for (const q of p.Queues as string[]) add(queueArnOf(q), p.PolicyDocument.Statement);
      if (r.Type === 'AWS::SNS::TopicPolicy')
        for (const t of p.Topics as string[]) add(t, p.PolicyDocument.Statement);
      if (r.Type === 'AWS::S3::BucketPolicy') add(`arn:aws:s3:::${p.Bucket}`, p.PolicyDocument.Statement);
      if (r.Type === 'AWS::KMS::Key' && p.KeyPolicy) add(scope.attrs.get(id)!.Arn!, p.KeyPolicy.Statement);
    }
  }
  return out;
};

const queueArnOf = (url: string) => arn('sqs', url.slice(url.lastIndexOf('/') + 1));

const projectRoot = join(import.meta.dirname, '../..');

/** This resolver as loaded (not as on disk now): a cache entry always matches the code that wrote it. */
const resolverSource = readFileSync(new URL(import.meta.url));

/** What the template is built from: the CDK app, the topology and everything else it reads. */
const sourcesHash = (names: LocalNames): string => {
  const hash = createHash('sha256').update(JSON.stringify(names));
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(projectRoot, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (file !== join('infra', 'local')) walk(file);
      } else hash.update(file).update(readFileSync(join(projectRoot, file)));
    }
  };
  for (const dir of ['infra', 'shared', 'state-machines']) walk(dir);
  hash.update(resolverSource);
  for (const file of ['cdk.json', 'package-lock.json']) hash.update(readFileSync(join(projectRoot, file)));
  return hash.digest('hex').slice(0, 16);
};

let cached: ResolvedPolicies | undefined;

/**
 * The policies of the synthesized app, resolved once per process and kept on disk per version
 * of the sources (synthesis with bundling skipped still takes tens of seconds on a small machine).
 */
export const resolvedPolicies = async (names: LocalNames): Promise<ResolvedPolicies> => {
  if (cached) return cached;
  const cacheDir = join(projectRoot, 'node_modules', '.cache', 'cpq-oms-iam');
  const cacheFile = join(cacheDir, `${sourcesHash(names)}.json`);
  if (existsSync(cacheFile)) {
    cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as ResolvedPolicies;
    return cached;
  }
  const { root, load, cleanup } = await synthesize();
  try {
    const tree = scopeTree(localStackName, root, {}, load, names);
    const scopes = allScopes(tree);
    const roles = rolePolicies(scopes);
    const functionRoles = {} as ResolvedPolicies['functionRoles'];
    const stateMachineRoles = {} as ResolvedPolicies['stateMachineRoles'];
    const scheduleRoles: ResolvedPolicies['scheduleRoles'] = {};
    const ruleArns: ResolvedPolicies['ruleArns'] = {};
    const api = { restApiId: '', stage: '', authorizerId: '' };
    for (const scope of scopes) {
      const resolve = resolver(scope);
      for (const [id, r] of Object.entries(scope.template.Resources ?? {})) {
        const roleArn = r.Properties?.RoleArn ?? r.Properties?.Role ?? r.Properties?.Target?.RoleArn;
        const entry = () => {
          const resolved = String(resolve(roleArn));
          return { roleArn: resolved, policies: roles.get(roleName(resolved)) ?? [] };
        };
        const fn = scope.refs.get(id) as FunctionName;
        if (r.Type === 'AWS::Lambda::Function' && fn in functions) functionRoles[fn] = entry();
        if (r.Type === 'AWS::StepFunctions::StateMachine')
          stateMachineRoles[scope.attrs.get(id)!.Name as StateMachineName] = entry();
        if (r.Type === 'AWS::Scheduler::Schedule') {
          const schedule = schedules.find((s) => endsWith(r, `${s.name}/Resource`))?.name ?? id;
          scheduleRoles[schedule] = entry();
        }
        if (r.Type === 'AWS::Events::Rule') ruleArns[scope.refs.get(id)!] = scope.attrs.get(id)!.Arn!;
        if (r.Type === 'AWS::ApiGateway::RestApi') api.restApiId = scope.refs.get(id)!;
        if (r.Type === 'AWS::ApiGateway::Stage') api.stage = scope.refs.get(id)!;
        if (r.Type === 'AWS::ApiGateway::Authorizer') api.authorizerId = scope.refs.get(id)!;
      }
    }
    cached = {
      api,
      functionRoles,
      stateMachineRoles,
      scheduleRoles,
      resourcePolicies: resourcePolicies(scopes),
      ruleArns,
    };
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cached));
    return cached;
  } finally {
    cleanup();
  }
};

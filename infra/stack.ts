import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { resourceEnv, type StateMachineName, stateMachines } from '#topology';
import { Api, type JwtSettings } from './constructs/api.ts';
import { AsyncDestinations } from './constructs/async-destinations.ts';
import { AuditEvidence } from './constructs/audit-evidence.ts';
import { Data } from './constructs/data.ts';
import { projectRoot } from './constructs/domain-function.ts';
import { DomainEvents } from './constructs/events.ts';
import { FaultInjection } from './constructs/fault-injection.ts';
import { Fulfillment } from './constructs/fulfillment.ts';
import { DomainFunctions, type DownstreamSettings } from './constructs/functions.ts';
import { Observability } from './constructs/observability.ts';
import { Queues } from './constructs/queues.ts';
import { Reporting } from './constructs/reporting.ts';
import { Schedules } from './constructs/schedules.ts';
import { stageOf } from './constructs/stage.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';

export { stageOf };

/** CDK context keys (defaults in cdk.json; override with `-c key=value`). */
export const contextKeys = {
  provisioningUrl: 'provisioningUrl',
  billingUrl: 'billingUrl',
  provisioningInFlightWindowMs: 'provisioningInFlightWindowMs',
  billingInFlightWindowMs: 'billingInFlightWindowMs',
  jwtIssuer: 'jwtIssuer',
  jwksUri: 'jwksUri',
  jwtAudience: 'jwtAudience',
  jwtMaxAgeSeconds: 'jwtMaxAgeSeconds',
  publicBaseUrl: 'publicBaseUrl',
  alarmEmail: 'alarmEmail',
} as const;

/**
 * The `context` of cdk.json. The CLI passes it to the app itself; an app run without the CLI
 * (`npm run synth`, tests) gets it from here, and CLI `-c` values still override it.
 */
export const cdkJsonContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')).context;

/** An optional comma-separated context value (`-c alarmEmail=a@x.example,b@x.example`). */
const listContext = (scope: Construct, key: string): string[] => {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') throw new Error(`CDK context "${key}" must be a comma-separated string`);
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
};

/** The whole back end, built from shared/topology.ts. */
export class CpqOmsStack extends Stack {
  readonly data: Data;
  readonly functions: DomainFunctions;
  readonly events: DomainEvents;
  readonly stateMachines: Record<StateMachineName, Fulfillment>;
  readonly api: Api;
  readonly observability: Observability;
  readonly reporting: Reporting;
  readonly auditEvidence: AuditEvidence;
  readonly asyncDestinations: AsyncDestinations;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const context = (key: keyof typeof contextKeys): string => {
      const value: unknown = this.node.tryGetContext(contextKeys[key]);
      if (typeof value !== 'string' || value === '')
        throw new Error(`CDK context "${contextKeys[key]}" is required`);
      return value;
    };
    const downstream: DownstreamSettings = {
      provisioning: {
        url: context('provisioningUrl'),
        inFlightWindowMs: context('provisioningInFlightWindowMs'),
      },
      billing: { url: context('billingUrl'), inFlightWindowMs: context('billingInFlightWindowMs') },
    };
    const jwt: JwtSettings = {
      issuer: context('jwtIssuer'),
      jwksUri: context('jwksUri'),
      audience: context('jwtAudience'),
      maxAgeSeconds: context('jwtMaxAgeSeconds'),
    };

    this.data = new Data(this, 'Data');
    this.functions = new DomainFunctions(this, 'Functions');
    this.functions.connectTables(this.data.tables);
    this.functions.connectDownstream(downstream);
    this.functions.connectCursorKey();
    // Resources leaving without a request (hub notifications) carry hrefs under the public URL.
    this.functions.get('hub-dispatcher').addEnvironment(resourceEnv.publicBaseUrl, context('publicBaseUrl'));

    this.events = new DomainEvents(this, 'Events', { functions: this.functions });
    this.functions.connectEventBus(this.events.bus);

    // Task functions are wired into the machine; starters get its ARN afterwards (no cycle: starters are not tasks).
    // The topology lists child machines before their parents.
    const built: Partial<Record<StateMachineName, Fulfillment>> = {};
    for (const machine of Object.keys(stateMachines) as StateMachineName[]) {
      const workflow = new Fulfillment(this, `StateMachine-${machine}`, {
        machine,
        functions: this.functions,
        children: Object.fromEntries(
          Object.entries(built).map(([name, w]) => [name, w.stateMachine]),
        ) as Partial<Record<StateMachineName, sfn.StateMachine>>,
      });
      this.functions.connectStateMachine(machine, workflow.stateMachine);
      built[machine] = workflow;
    }
    this.stateMachines = built as Record<StateMachineName, Fulfillment>;

    const queues = new Queues(this, 'Queues', { functions: this.functions });
    new StreamConsumers(this, 'StreamConsumers', {
      functions: this.functions,
      tables: this.data.tables,
      queues: queues.byName,
    });
    this.reporting = new Reporting(this, 'Reporting', { functions: this.functions, bus: this.events.bus });
    this.auditEvidence = new AuditEvidence(this, 'AuditEvidence', {
      functions: this.functions,
      accessLogs: this.reporting.accessLogs,
    });
    new Schedules(this, 'Schedules', { functions: this.functions });
    this.asyncDestinations = new AsyncDestinations(this, 'AsyncDestinations', { functions: this.functions });
    this.api = new Api(this, 'Api', {
      functions: this.functions,
      jwt,
      publicBaseUrl: context('publicBaseUrl'),
    });
    new FaultInjection(this, 'FaultInjection', {
      functions: this.functions,
      api: this.api.restApi,
      stateMachine: this.stateMachines.fulfillment.stateMachine,
    });
    // Last: it finds every dead-letter queue and event rule the stack built.
    this.observability = new Observability(this, 'Observability', {
      functions: this.functions,
      alarmEmails: listContext(this, contextKeys.alarmEmail),
      restApi: this.api.restApi,
      stateMachines: Object.values(this.stateMachines).map((w) => w.stateMachine),
      bus: this.events.bus,
    });
  }
}

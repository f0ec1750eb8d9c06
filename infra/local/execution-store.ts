import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export const executionTable = 'local-sfn-executions';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Where a running execution stands: the top-level state it entered and that state's input. */
export type Position = { state: string; input: unknown; enteredAt: string };

export type Execution = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** STANDARD executions are billed per state transition, EXPRESS ones per request and duration. */
  type: 'STANDARD' | 'EXPRESS';
  /** States entered, Map iterations included: what Step Functions Standard bills per transition. */
  stateTransitions: number;
  position?: Position;
  /** How many times a restart of the local stack resumed it. */
  resumed?: number;
};

type Item = Omit<Execution, 'startDate' | 'stopDate'> & { pk: string; startDate: string; stopDate?: string };

const toItem = (e: Execution): Item => ({
  ...e,
  pk: e.executionArn,
  startDate: e.startDate.toISOString(),
  stopDate: e.stopDate?.toISOString(),
});
const fromItem = ({ pk: _pk, startDate, stopDate, ...rest }: Item): Execution => ({
  ...rest,
  startDate: new Date(startDate),
  stopDate: stopDate ? new Date(stopDate) : undefined,
});

/**
 * Step Functions keeps every execution durably with its history; locally each execution's record
 * (input, status, position) lives in a DynamoDB Local table, so a restart with the same data
 * directory finds what was running and where. Writes of one execution are serialized and
 * coalesced: only its latest state is ever written, never an older one after a newer one.
 */
export class ExecutionStore {
  private readonly writing = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly doc: DynamoDBDocumentClient) {}

  /** Writes the execution now (awaited by StartExecution: started means recorded). */
  async put(execution: Execution): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: executionTable, Item: toItem(execution) }));
  }

  /** Schedules a write of the execution's latest state; returns when it is written. */
  save(execution: Execution): Promise<void> {
    const arn = execution.executionArn;
    const inFlight = this.writing.get(arn);
    if (inFlight) {
      this.dirty.add(arn);
      return inFlight;
    }
    const write = (async () => {
      do {
        this.dirty.delete(arn);
        await this.put(execution);
      } while (this.dirty.has(arn));
    })().finally(() => this.writing.delete(arn));
    this.writing.set(arn, write);
    return write;
  }

  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing.values()]);
  }

  async loadAll(): Promise<Execution[]> {
    const out: Execution[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: executionTable, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) out.push(fromItem(item as Item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

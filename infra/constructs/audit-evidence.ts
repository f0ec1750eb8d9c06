import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type FunctionName, type FunctionSpec, functions as functionSpecs, resourceEnv } from '#topology';
import type { DomainFunctions } from './functions.ts';
import { acknowledgeWildcard } from './nag.ts';

/** Requirements 003 §17: "7_YEARS" retention, enforced by the bucket, not by convention. */
export const evidenceRetentionDays = 2557;

/** Where evidence records live in the bucket (`evidenceRecord` keys start with it). */
const evidencePrefix = 'evidence/';

/**
 * The audit evidence store: versioned S3 with Object Lock in compliance mode, so no one (root
 * included) can overwrite or delete a sealed record before its retention ends. The evidence
 * writer may only put objects under `evidence/`, the audit view may only read (and list) them.
 * Records are encrypted with the store's own KMS key (who may decrypt them is the key's policy
 * and these grants); the S3 Bucket Key makes S3 ask KMS for a data key per bucket key period
 * instead of one request per record sealed (KMS bills per request).
 */
export class AuditEvidence extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions; accessLogs: s3.IBucket }) {
    super(scope, id);
    const key = new kms.Key(this, 'EvidenceKey', {
      description: 'Encrypts the audit evidence records',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Evidence', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(evidenceRetentionDays)),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [name, spec] of Object.entries(functionSpecs) as [FunctionName, FunctionSpec][]) {
      if (!spec.evidence) continue;
      const fn = props.functions.get(name);
      fn.addEnvironment(resourceEnv.evidence.bucket, this.bucket.bucketName);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: spec.evidence === 'seal' ? ['s3:PutObject', 's3:GetObject'] : ['s3:GetObject'],
          resources: [this.bucket.arnForObjects(`${evidencePrefix}*`)],
        }),
      );
      // Sealing needs a data key (GenerateDataKey), reading one back needs Decrypt: only through S3.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: spec.evidence === 'seal' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.bucket.stack.region}.amazonaws.com` } },
        }),
      );
      // Without s3:ListBucket S3 answers a record not sealed yet with 403, not 404. The writer
      // reads only keys it found sealed already (412 on its conditional put): it lists nothing.
      if (spec.evidence === 'read')
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [this.bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': [`${evidencePrefix}*`] } },
          }),
        );
      acknowledgeWildcard(
        fn.role!,
        this.bucket.arnForObjects(`${evidencePrefix}*`),
        `Evidence records are keyed by object and record id under evidence/; ${name} may ${spec.evidence === 'seal' ? 'write each once (Object Lock, If-None-Match) and read' : 'only read'} them.`,
      );
    }
  }
}

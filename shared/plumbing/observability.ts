import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Shared Powertools instances. Loggers never receive request bodies or customer data:
 * handlers log ids, codes and counts only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cpq-oms' });
const metricsOptions = {
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CpqOms',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cpq-oms',
};
export const metrics = new Metrics(metricsOptions);
/** A separate buffer for many values of one metric, published as one EMF document. */
export const metricsBuffer = (): Metrics => new Metrics(metricsOptions);

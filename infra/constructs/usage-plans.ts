import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { api, usageKeyOf } from '#topology';
import { rootStackName } from './stage.ts';

/**
 * One usage plan per channel (rate, burst, daily quota). The API takes its API key from the
 * authorizer (`usageIdentifierKey`), so the key value is an identifier the authorizer hands out
 * per channel, never something a client sends; every protected method requires it. Values are
 * unique per account and region, so they carry the stage's stack name (the authorizer's namespace).
 */
export class ChannelUsagePlans extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { restApi: apigateway.RestApi; methods: ReadonlyMap<string, apigateway.Method> },
  ) {
    super(scope, id);
    for (const [channel, plan] of Object.entries(api.usagePlans)) {
      const key = new apigateway.ApiKey(this, `Key-${channel}`, {
        value: usageKeyOf(channel, rootStackName(this)),
        description: `Usage identifier of channel ${channel} (returned by the authorizer)`,
      });
      const usagePlan = new apigateway.UsagePlan(this, `Plan-${channel}`, {
        description: `Throttle and quota of channel ${channel}`,
        throttle: { rateLimit: plan.rateLimit, burstLimit: plan.burstLimit },
        quota: { limit: plan.quotaPerDay, period: apigateway.Period.DAY },
        apiStages: [
          {
            api: props.restApi,
            stage: props.restApi.deploymentStage,
            throttle: Object.entries(plan.methods ?? {}).map(([route, throttle]) => {
              const method = props.methods.get(route);
              if (!method) throw new Error(`Usage plan ${channel} throttles ${route}, which is not a route`);
              return { method, throttle };
            }),
          },
        ],
      });
      usagePlan.addApiKey(key);
    }
  }
}

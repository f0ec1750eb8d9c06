import { Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { gatewayErrorBody } from '#plumbing/http/gateway-responses';

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managedGroup = (
  name: string,
  priority: number,
  countOnly: string[] = [],
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
    },
  },
  visibilityConfig: visibility(name),
});

/** Requests from one IP in any 5-minute window before the rate rule blocks it. */
export const requestsPerIpPer5Minutes = 3000;

/**
 * WAF in front of the REST API stage: AWS managed rule groups (common exploits, known bad inputs,
 * IP reputation) and a rate-based rule per client IP answering 429 in the contract's error shape.
 */
export class ApiWebAcl extends Construct {
  constructor(scope: Construct, id: string, props: { stage: apigateway.Stage }) {
    super(scope, id);
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${Stack.of(this).stackName}-api`),
      customResponseBodies: {
        throttled: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(
            gatewayErrorBody(
              { status: 429, code: 'TOO_MANY_REQUESTS', message: 'Too many requests from this address' },
              'waf',
            ),
          ),
        },
      },
      rules: [
        {
          name: 'rate-per-ip',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'throttled',
                responseHeaders: [{ name: 'Retry-After', value: '60' }],
              },
            },
          },
          statement: { rateBasedStatement: { limit: requestsPerIpPer5Minutes, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-per-ip'),
        },
        // Body size is the handlers' job (413 PAYLOAD_TOO_LARGE in the error shape, 64 KB); the
        // common set's 8 KB body rule would block legitimate large quotes with a bare 403.
        managedGroup('AWSManagedRulesCommonRuleSet', 10, ['SizeRestrictions_BODY']),
        managedGroup('AWSManagedRulesKnownBadInputsRuleSet', 20),
        managedGroup('AWSManagedRulesAmazonIpReputationList', 30),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: webAcl.attrArn,
    });
  }
}

import { Duration, NestedStack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { allowedMethodsByPath, gatewayErrorBody, methodNotAllowed } from '#plumbing/http/gateway-responses';
import { isTmfPath, TMF_MEDIA_TYPE } from '#plumbing/http/responses';
import { api as apiSpec, type FunctionName, resourceEnv } from '#topology';
import type { DomainFunctions } from './functions.ts';
import { addGatewayResponses } from './gateway-responses.ts';
import { acknowledge } from './nag.ts';
import { rootStackName } from './stage.ts';
import { ChannelUsagePlans } from './usage-plans.ts';
import { ApiWebAcl } from './web-acl.ts';

export type JwtSettings = { issuer: string; jwksUri: string; audience: string; maxAgeSeconds: string };

/**
 * The REST API: one method per topology route, a Lambda token authorizer for all but the public
 * ones. Its own (nested) stack: with its ~170 resources the stage's stack would be at
 * CloudFormation's 500-resource limit.
 */
export class Api extends NestedStack {
  readonly restApi: apigateway.RestApi;

  constructor(
    scope: Construct,
    id: string,
    props: { functions: DomainFunctions; jwt: JwtSettings; publicBaseUrl: string },
  ) {
    super(scope, id, { description: 'CPQ/OMS REST API, authorizer, usage plans and web ACL' });
    const accessLogs = new logs.LogGroup(this, 'StageAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${rootStackName(this)}-api`,
      description: 'CPQ/OMS: quotes, TMF622 product orders, read models, ops',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Usage plans key on what the authorizer returns (usageIdentifierKey), not on a client header.
      apiKeySourceType: apigateway.ApiKeySourceType.AUTHORIZER,
      // The account-level role API Gateway needs to write execution logs.
      cloudWatchRole: true,
      deployOptions: {
        stageName: apiSpec.stage,
        // Whole-API ceiling; each channel's own limits are its usage plan.
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // Request and response bodies carry customer data: not in execution logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    acknowledge(
      this.restApi,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level API Gateway CloudWatch role (execution logging) uses the AWS-managed policy made for it.',
    );
    acknowledge(
      this.restApi,
      'AwsSolutions-APIG2',
      'Request bodies are validated by the handlers against the domain schemas, so API Gateway and the local ' +
        'stack answer invalid requests identically (problem details); a gateway validator would answer differently.',
    );

    // Includes INTEGRATION_FAILURE: a function at its reserved concurrency (bulkhead) is 429 + Retry-After.
    addGatewayResponses(this.restApi);
    new ApiWebAcl(this, 'Waf', { stage: this.restApi.deploymentStage });

    const authorizerFn = props.functions.get(apiSpec.authorizer);
    authorizerFn.addEnvironment('JWT_ISSUER', props.jwt.issuer);
    authorizerFn.addEnvironment('JWKS_URI', props.jwt.jwksUri);
    authorizerFn.addEnvironment('JWT_AUDIENCE', props.jwt.audience);
    authorizerFn.addEnvironment('JWT_MAX_AGE_SECONDS', props.jwt.maxAgeSeconds);
    authorizerFn.addEnvironment(resourceEnv.usageKeyNamespace, rootStackName(this));
    const authorizer = new apigateway.TokenAuthorizer(this, 'Authorizer', {
      handler: authorizerFn,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      validationRegex: apiSpec.bearerPattern,
      // Cached per token: the authorizer's policy covers the whole API and stage (see authorizer.ts).
      resultsCacheTtl: Duration.seconds(apiSpec.authorizerCacheTtlSeconds),
    });

    const integrations = new Map<FunctionName, apigateway.LambdaIntegration>();
    const integrationOf = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new apigateway.LambdaIntegration(props.functions.get(name), {
          allowTestInvoke: false,
          // One invoke permission per function for the whole API and stage (the authorizer scopes callers):
          // per-method permissions alone would push the stack over CloudFormation's 500 resources.
          scopePermissionToMethod: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    const methods = new Map<string, apigateway.Method>();
    for (const route of apiSpec.routes) {
      props.functions.get(route.function).addEnvironment(resourceEnv.publicBaseUrl, props.publicBaseUrl);
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, integrationOf(route.function), {
          ...(route.public
            ? { authorizationType: apigateway.AuthorizationType.NONE }
            : { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer, apiKeyRequired: true }),
        });
      methods.set(`${route.method} ${route.path}`, method);
      acknowledge(
        method,
        'AwsSolutions-COG4',
        'Callers present JWTs of the channel identity provider, verified by the Lambda token authorizer.',
      );
      if (route.public) {
        acknowledge(
          method,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is public by design (topology).`,
        );
      }
    }
    for (const [path, allow] of allowedMethodsByPath(apiSpec.routes)) {
      const notAllowed = this.restApi.root
        .resourceForPath(path)
        .addMethod('ANY', methodNotAllowedIntegration(path, allow), {
          authorizationType: apigateway.AuthorizationType.NONE,
          methodResponses: [
            {
              statusCode: String(methodNotAllowed.status),
              responseParameters: {
                'method.response.header.Allow': true,
                'method.response.header.X-Correlation-Id': true,
                'method.response.header.Content-Type': true,
              },
            },
          ],
        });
      acknowledge(
        notAllowed,
        'AwsSolutions-APIG4',
        `ANY ${path} only answers 405 with Allow (a mock integration, no function, no data).`,
      );
      acknowledge(notAllowed, 'AwsSolutions-COG4', 'A mock integration that answers 405 for every caller.');
    }
    new ChannelUsagePlans(this, 'UsagePlans', { restApi: this.restApi, methods });
  }
}

/** 405 with Allow in the contract's error shape, answered by API Gateway itself. */
const methodNotAllowedIntegration = (path: string, allow: string) =>
  new apigateway.MockIntegration({
    requestTemplates: { 'application/json': `{"statusCode": ${methodNotAllowed.status}}` },
    passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
    integrationResponses: [
      {
        statusCode: String(methodNotAllowed.status),
        responseParameters: {
          'method.response.header.Allow': `'${allow}'`,
          'method.response.header.X-Correlation-Id': 'context.requestId',
          'method.response.header.Content-Type': `'${isTmfPath(path) ? TMF_MEDIA_TYPE : 'application/json'}'`,
        },
        responseTemplates: {
          'application/json': JSON.stringify(gatewayErrorBody(methodNotAllowed, '$context.requestId')),
        },
      },
    ],
  });

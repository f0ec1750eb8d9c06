import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { api as apiSpec, type FunctionName } from '#topology';
import type { DomainFunctions } from './functions.ts';
import { acknowledge } from './nag.ts';

export type JwtSettings = { issuer: string; jwksUri: string; audience: string };

/** The REST API: one method per topology route, a Lambda token authorizer for all but the public ones. */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions; jwt: JwtSettings }) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'CPQ/OMS: quotes, TMF622 product orders, read models, ops',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-level role API Gateway needs to write execution logs.
      cloudWatchRole: true,
      deployOptions: {
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
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

    // A function at its reserved concurrency (bulkhead) is an integration failure: answered as the
    // local stack answers it, 429 with Retry-After in the error shape.
    this.restApi.addGatewayResponse('IntegrationFailure', {
      type: apigateway.ResponseType.INTEGRATION_FAILURE,
      statusCode: '429',
      responseHeaders: { 'Retry-After': "'1'", 'Content-Type': "'application/json'" },
      templates: {
        'application/json':
          '{"@type":"Error","code":"TOO_MANY_REQUESTS","reason":"TOO_MANY_REQUESTS","message":"The function is at its concurrency limit","status":"429","correlationId":"$context.requestId"}',
      },
    });

    const authorizerFn = props.functions.get(apiSpec.authorizer);
    authorizerFn.addEnvironment('AUTH_MODE', 'jwt');
    authorizerFn.addEnvironment('JWT_ISSUER', props.jwt.issuer);
    authorizerFn.addEnvironment('JWKS_URI', props.jwt.jwksUri);
    authorizerFn.addEnvironment('JWT_AUDIENCE', props.jwt.audience);
    const authorizer = new apigateway.TokenAuthorizer(this, 'Authorizer', {
      handler: authorizerFn,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      validationRegex: '^Bearer [-0-9A-Za-z._~+/]+=*$',
      // No caching: a cached policy is reused for every method, so it would have to allow the whole API.
      resultsCacheTtl: Duration.seconds(0),
    });

    const integrations = new Map<FunctionName, apigateway.LambdaIntegration>();
    const integrationOf = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new apigateway.LambdaIntegration(props.functions.get(name), { allowTestInvoke: false });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of apiSpec.routes) {
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, integrationOf(route.function), {
          ...(route.public
            ? { authorizationType: apigateway.AuthorizationType.NONE }
            : { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer }),
        });
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
  }
}

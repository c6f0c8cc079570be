import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { typicalAccessLog, uniqueRegistration, utf8Bytes } from '../../tools/cost-model/cost-model.js';
import { synthesizeStage } from './synthesize-stage.js';

// The one cost-model check that needs the synthesized stage; the rest is in test/tools/cost-model.test.ts.
describe('the cost model against the deployed access log', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthesizeStage('prod', { bundle: false }));
  });

  it('counts the access log line in the format the stage deploys, with typical values', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(Object.keys(typicalAccessLog)).toEqual(Object.keys(format));
    // API Gateway substitutes each variable inside its JSON string, so the line is the values as JSON.
    let line = JSON.stringify(format);
    for (const [key, variable] of Object.entries(format)) {
      line = line.replace(
        `"${key}":"${variable}"`,
        `"${key}":"${typicalAccessLog[key as keyof typeof typicalAccessLog]}"`,
      );
    }
    expect(utf8Bytes(line)).toBe(uniqueRegistration.logBytes.accessLogLine);
  });
});

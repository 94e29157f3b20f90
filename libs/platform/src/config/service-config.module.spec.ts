import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { baseConfigSchema } from './base-config.schema';
import { serviceConfigModule } from './service-config.module';
import { configValidator } from './validate-config';

const validate = configValidator(baseConfigSchema({ port: 3001, serviceName: 'payment' }));

describe('serviceConfigModule', () => {
  const variables = ['DATABASE_DIRECT_URL', 'SERVICE_CONFIG_SPEC_UNDECLARED'];
  const saved = variables.map((name) => process.env[name]);

  afterEach(() => {
    variables.forEach((name, index) => (process.env[name] = saved[index]));
    variables.forEach((name, index) => saved[index] === undefined && delete process.env[name]);
  });

  it('hands out what the schema validated, never the raw environment beside it', async () => {
    Object.assign(process.env, {
      DATABASE_DIRECT_URL: '   ',
      SERVICE_CONFIG_SPEC_UNDECLARED: 'raw',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [serviceConfigModule(validate)],
    }).compile();
    const config = moduleRef.get(ConfigService);
    // Blank reads as unset, as the schema decided, not as the three spaces of the variable.
    expect(config.get('DATABASE_DIRECT_URL')).toBeUndefined();
    expect(config.get('SERVICE_CONFIG_SPEC_UNDECLARED')).toBeUndefined();
    expect(config.get('PORT')).toBe(3001);
    await moduleRef.close();
  });
});

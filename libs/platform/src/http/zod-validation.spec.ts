import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { toFieldErrors, ValidationPipe } from './zod-validation';

const createOrder = z.strictObject({
  customerId: z.string().min(1),
  items: z.array(z.strictObject({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
});

function errorsOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected the input to be invalid');
  return toFieldErrors(result.error);
}

describe('toFieldErrors', () => {
  it('names a nested field by its dotted path', () => {
    const errors = errorsOf(createOrder, {
      customerId: 'c-1',
      items: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 0 },
      ],
    });
    expect(errors).toEqual([{ field: 'items.1.quantity', message: expect.any(String) }]);
  });

  it('lists each unknown field on its own, nested ones with their path', () => {
    const errors = errorsOf(createOrder, {
      customerId: 'c-1',
      admin: true,
      discount: 50,
      items: [{ sku: 'A', quantity: 1, price: 0 }],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'admin', message: 'Unknown field' },
        { field: 'discount', message: 'Unknown field' },
        { field: 'items.0.price', message: 'Unknown field' },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('reports a problem with the whole body as "(body)"', () => {
    expect(errorsOf(createOrder, 'not an object')).toEqual([
      { field: '(body)', message: expect.any(String) },
    ]);
  });

  it('joins several problems of one field into one entry', () => {
    const sku = z.object({
      sku: z
        .string()
        .min(3)
        .regex(/^[A-Z]+$/),
    });
    const errors = errorsOf(sku, { sku: '1' });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('sku');
    expect(errors[0].message).toContain('; ');
  });

  it('reports every offending field once', () => {
    const fields = errorsOf(createOrder, { customerId: '', items: [] }).map((e) => e.field);
    expect(fields.sort()).toEqual(['customerId', 'items']);
  });
});

describe('ValidationPipe', () => {
  class CreateOrderDto {
    static readonly schema = createOrder;
    static readonly isZodDto = true;
  }

  it('rejects an invalid body with a 400 carrying the field errors', () => {
    const pipe = new ValidationPipe();
    let thrown: unknown;
    try {
      pipe.transform(
        { customerId: 'c-1', items: [], extra: 1 },
        {
          type: 'body',
          metatype: CreateOrderDto,
        },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadRequestException);
    expect((thrown as BadRequestException).getResponse()).toEqual({
      message: 'Validation failed',
      errors: expect.arrayContaining([
        { field: 'extra', message: 'Unknown field' },
        { field: 'items', message: expect.any(String) },
      ]),
    });
  });
});

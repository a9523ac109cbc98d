import { describe, expect, it } from 'vitest';
import { createErp } from '../../src/services/erp.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';

const register = (name: string) => ({
  type: 'RegisterCustomer' as const,
  customerId: 'C-1',
  name,
  customerGroup: 'Retail',
});

function refusal(result: ErpResult<unknown>) {
  if (result.ok) throw new Error('expected a refusal');
  return result.errors.map((error) => ({ code: error.code, path: error.path }));
}

describe('strings a store cannot keep', () => {
  it('a use case whose events the store refuses at commit (VALIDATION_FAILED) returns a refusal, writes nothing and does not throw', async () => {
    const store = createMemoryEventStore();
    const erp = createErp({ store });
    for (const name of ['a\u0000b', 'a\uD800b', 'a\uDC00']) {
      const errors = refusal(await erp.manageCustomer(register(name)));
      expect(errors).toHaveLength(1);
      expect(errors[0]?.code).toBe('VALIDATION_FAILED');
      expect(errors[0]?.path?.at(-1)).toBe('name');
    }
    expect(await store.headPosition()).toBe(0);
    // The same call with a storable name goes through.
    expect((await erp.manageCustomer(register('a b'))).ok).toBe(true);
  });

  it('a context actor or correlation id with NUL or a lone surrogate is refused at its own path before anything is decided', async () => {
    const store = createMemoryEventStore();
    const erp = createErp({ store });
    expect(refusal(await erp.manageCustomer(register('ok'), { actor: 'x\uD800' }))).toEqual([
      { code: 'VALIDATION_FAILED', path: ['context', 'actor'] },
    ]);
    expect(refusal(await erp.manageCustomer(register('ok'), { correlationId: 'r\u0000' }))).toEqual([
      { code: 'VALIDATION_FAILED', path: ['context', 'correlationId'] },
    ]);
    expect(await store.headPosition()).toBe(0);
  });

  it('ERP input ids and reasons with NUL or a lone surrogate are refused at their path, not by the store', async () => {
    const erp = createErp({ store: createMemoryEventStore() });
    expect(refusal(await erp.placeOrder({ customerId: 'C\u0000', lines: [{ itemCode: 'I', qty: '1' }] }))).toEqual([
      { code: 'VALIDATION_FAILED', path: ['customerId'] },
    ]);
    expect(() => createErp({ store: createMemoryEventStore(), settings: { defaultActor: 'sys\uDFFF' } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('a customer command whose type is an object without a prototype is refused, not a TypeError', async () => {
    const erp = createErp({ store: createMemoryEventStore() });
    const command = { ...register('ok'), type: Object.create(null) as unknown };
    expect(refusal(await erp.manageCustomer(command as never))[0]?.path).toEqual(['type']);
  });
});

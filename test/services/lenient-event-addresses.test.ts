import { describe, expect, it } from 'vitest';
import { customerStreamId } from '../../src/domain/customer/customer-ids.js';
import { CorruptEventError } from '../../src/kernel/errors.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

// An address as another version of Ordo might have stored it: not normalised, and with a field this one does not know.
const STORED_ADDRESS = { line1: ' 1  High St ', city: 'London', postalCode: 'sw1a 1aa', country: 'gb', geo: 'x' };
const READ_ADDRESS = { line1: '1 High St', city: 'London', postalCode: 'SW1A 1AA', country: 'GB' };

/** A test ERP whose store (which has no registry, so it keeps data as given) holds a raw `CustomerRegistered`. */
async function erpWithStoredCustomer(billingAddress: unknown) {
  const erp = await createTestErp();
  await erp.store.appendToStream(
    customerStreamId('CUST-OLD'),
    [
      {
        type: 'CustomerRegistered',
        data: {
          customerId: 'CUST-OLD',
          name: 'Old Co',
          customerGroup: 'Retail',
          defaultPriceList: null,
          creditLimits: [],
          billingAddress,
          shippingAddress: null,
        },
      },
    ],
    { expectedVersion: 'no_stream' },
  );
  return erp;
}

describe('stored customer events read their addresses leniently', () => {
  it('reads a CustomerRegistered whose address has an unknown key, dropping the key and normalising the rest', async () => {
    const erp = await erpWithStoredCustomer(STORED_ADDRESS);
    // The stored event does hold the unknown key: it is the read that drops it.
    const [stored] = await erp.events(customerStreamId('CUST-OLD'));
    expect(stored?.data).toMatchObject({ billingAddress: { geo: 'x' } });

    const customer = await erp.getCustomer('CUST-OLD');
    expect(customer?.billingAddress).toEqual(READ_ADDRESS);
    expect(customer?.billingAddress).not.toHaveProperty('geo');
  });

  it('reads a CustomerAddressesChanged the same way, in the use cases too', async () => {
    const erp = await erpWithStoredCustomer(null);
    await erp.store.appendToStream(
      customerStreamId('CUST-OLD'),
      [
        {
          type: 'CustomerAddressesChanged',
          data: {
            customerId: 'CUST-OLD',
            billingAddress: STORED_ADDRESS,
            shippingAddress: { ...STORED_ADDRESS, line2: '', note: 'ring twice' },
          },
        },
      ],
      { expectedVersion: 1 },
    );
    const customer = await erp.getCustomer('CUST-OLD');
    expect(customer).toMatchObject({ billingAddress: READ_ADDRESS, shippingAddress: READ_ADDRESS });
    // A use case that loads the customer reads the stream as well.
    assertOk(await erp.placeOrder({ customerId: 'CUST-OLD', lines: [{ itemCode: 'WIDGET', qty: '1' }] }));
  });

  it('still refuses a stored address whose known fields are invalid (CORRUPT_EVENT)', async () => {
    const erp = await erpWithStoredCustomer({ ...STORED_ADDRESS, country: 'XX' });
    const error = await erp.getCustomer('CUST-OLD').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CorruptEventError);
    expect(error).toMatchObject({ code: 'CORRUPT_EVENT', type: 'CustomerRegistered' });
  });

  it('keeps the command path strict: an unknown address key is VALIDATION_FAILED at its path, nothing written', async () => {
    const erp = await erpWithStoredCustomer(null);
    const head = await erp.store.headPosition();
    const refused = await erp.manageCustomer({
      type: 'ChangeCustomerAddresses',
      customerId: 'CUST-OLD',
      billingAddress: { ...READ_ADDRESS, geo: 'x' } as typeof READ_ADDRESS,
    });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['VALIDATION_FAILED', ['billingAddress', 'geo']],
    ]);
    expect(await erp.store.headPosition()).toBe(head);
    // Without the unknown key the same change is accepted.
    assertOk(
      await erp.manageCustomer({
        type: 'ChangeCustomerAddresses',
        customerId: 'CUST-OLD',
        billingAddress: READ_ADDRESS,
      }),
    );
  });
});

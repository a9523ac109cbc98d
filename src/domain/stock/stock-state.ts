import type { ItemCode } from '../item/item-ids.js';
import type { ReleaseReason, ReservationKind } from './stock-commands.js';
import type { WarehouseId } from './stock-ids.js';

/** One order line's reservation of this item in this warehouse. */
export interface StockReservation {
  readonly orderId: string;
  readonly lineId: string;
  readonly kind: ReservationKind;
  /** Outstanding reserved quantity (stock units, decimal string): reserved, minus what was delivered. */
  readonly qty: string;
  /** `active` counts in reserved quantity; `released` is kept, with its quantity, so a restore is exact. */
  readonly status: 'active' | 'released';
  /** Why it was last released; `null` while it has never been. */
  readonly releaseReason: ReleaseReason | null;
}

/**
 * The stock of one item in one warehouse (ERPNext's Bin). Quantities are decimal strings in stock units.
 * Plain JSON, so it can be snapshotted as is.
 */
export interface StockState {
  /** `null` until the first event. */
  readonly itemCode: ItemCode | null;
  readonly warehouse: WarehouseId | null;
  /** What is physically there. */
  readonly actualQty: string;
  /** Sum of the active reservations' outstanding quantities (soft and hard). */
  readonly reservedQty: string;
  /** Sum of the active hard reservations: stock that may only be issued to its order. */
  readonly hardReservedQty: string;
  /** Every reservation ever made here, by `<orderId>#<lineId>`. */
  readonly reservations: Readonly<Record<string, StockReservation>>;
}

/** Where folding a stock stream starts: nothing there, nothing reserved. */
export const initialStockState: StockState = {
  itemCode: null,
  warehouse: null,
  actualQty: '0',
  reservedQty: '0',
  hardReservedQty: '0',
  reservations: {},
};

/**
 * The workload registry: `npm run bench` runs these in this order. A new workload is a file in this folder
 * exporting a {@link Workload}, added to the list below.
 */
import type { Workload } from '../lib/types.js';
import { w1AppendSingle } from './w1-append-single.js';
import { w2AppendBatch } from './w2-append-batch.js';
import { w3Rehydrate } from './w3-rehydrate.js';
import { w4Contention } from './w4-contention.js';
import { w5ReadAll } from './w5-read-all.js';
import { w6PlaceOrder } from './w6-place-order.js';
import { w7ProjectionRebuild } from './w7-projection-rebuild.js';
import { w8BigStream } from './w8-big-stream.js';

/** Every workload, in run order. */
export const WORKLOADS: readonly Workload[] = [
  w1AppendSingle,
  w2AppendBatch,
  w3Rehydrate,
  w4Contention,
  w5ReadAll,
  w6PlaceOrder,
  w7ProjectionRebuild,
  w8BigStream,
];

/** The workload with this id (`w1`) or name (`w1-append-single`). */
export function findWorkload(idOrName: string): Workload | undefined {
  return WORKLOADS.find((workload) => workload.id === idOrName || workload.name === idOrName);
}

/**
 * @internal The folded states of hot master-data streams (price lists, items, customers, stock, ledgers), kept
 * between use-case calls so that each call reads and folds only the events appended since. Every order reads
 * the whole price list it is priced from; without this, an order's cost grows with the catalogue's history.
 *
 * Correct because a stream only ever grows: the state at version v plus the events after v is the state at the
 * new version, whichever process appended them. States are immutable values (evolve never mutates), so one
 * cached state can be shared by concurrent calls.
 */
export class StreamStateCache {
  readonly #entries = new Map<string, { readonly model: object; readonly version: number; readonly state: unknown }>();

  /**
   * @param capacity - how many streams to keep; the least recently used goes first.
   * @param models - the models whose streams are cached; others are always read whole.
   */
  constructor(
    private readonly capacity: number,
    private readonly models: ReadonlySet<object>,
  ) {}

  /** The cached state of `streamId` folded by `model`, refreshed as most recently used. */
  get(streamId: string, model: object): { readonly version: number; readonly state: unknown } | undefined {
    const entry = this.#entries.get(streamId);
    if (!entry || entry.model !== model) return undefined;
    this.#entries.delete(streamId);
    this.#entries.set(streamId, entry);
    return entry;
  }

  /** Keeps `state` as `streamId`'s state at `version`, unless a newer one is already kept. */
  set(streamId: string, model: object, version: number, state: unknown): void {
    if (!this.models.has(model) || version === 0) return;
    const known = this.#entries.get(streamId);
    if (known && known.model === model && known.version >= version) return;
    this.#entries.delete(streamId);
    this.#entries.set(streamId, { model, version, state });
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

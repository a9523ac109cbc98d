/**
 * Ordo: an event-sourced ERP domain core.
 *
 * This barrel is the curated public surface of `ordo`. The SQL stores live in `ordo/sqlite` and
 * `ordo/postgres`; arbitraries, given/when/then and the conformance suite in `ordo/testing`.
 *
 * @packageDocumentation
 */
export * from './kernel/index.js';
export * from './stores/memory/index.js';

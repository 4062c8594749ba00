// The store's own error type, in a module of its own so that the store's helpers (aliases.ts)
// can throw it without importing the store itself.
import type { Bilingual } from '../errors.js';

export type StoreErrorCode =
  | 'db-corrupt'
  | 'db-locked'
  | 'db-open'
  | 'db-readonly'
  | 'db-connect'
  | 'db-lost'
  | 'db-full'
  | 'db-error'
  | 'not-found'
  | 'bad-argument';

/** A store failure a user can act on; its message is Chinese / English, never a stack trace. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly text: Bilingual,
  ) {
    super(`${text.zh} / ${text.en}`);
    this.name = 'StoreError';
  }
}

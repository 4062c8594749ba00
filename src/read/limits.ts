// Resource limits shared by the readers. No annual report comes anywhere near these; they
// exist so that hostile or broken inputs (zip bombs, pathological nesting) fail fast.

export interface ZipLimits {
  /** Largest inflated size of one entry. */
  maxEntryBytes: number;
  /** Largest inflated size of all entries read together. */
  maxTotalBytes: number;
  /** Most entries a container may list. */
  maxEntries: number;
  /** Inflated/compressed ratio above which a large entry counts as a bomb. */
  maxRatio: number;
  /** Entries smaller than this are never judged by their ratio. */
  ratioFloorBytes: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxEntries: 20_000,
  maxRatio: 1000,
  ratioFloorBytes: 4 * 1024 * 1024,
};

/** Deepest element nesting kept when reading HTML/XML; deeper wrappers are unwrapped. */
export const MAX_MARKUP_DEPTH = 400;

/** Most blocks a reader emits (a report has a few thousand at most). */
export const MAX_BLOCKS = 2_000_000;

/** Seconds allowed for an external converter (LibreOffice). */
export const CONVERTER_TIMEOUT_MS = 60_000;

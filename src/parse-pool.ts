// Parsing many reports on several cores. A batch of thousands of reports (a supervising office's
// January intake, a researcher's corpus) is CPU-bound: PDFs especially. Worker threads parse; the
// calling thread reads, hashes, stores and prints, always in input order, so the output of a batch
// is the same byte for byte whatever the number of workers.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { GongkaiError, toGongkaiError, type Bilingual, type ErrorCode } from './errors.js';
import { MAX_INPUT_BYTES, parseBytes, tooLargeError } from './index.js';
import type { ParseResult, Provenance } from './model/report.js';

/** More workers than this gain nothing on report batches and cost memory (each loads the readers). */
export const MAX_JOBS = 8;
/** A worker costs ~0.1–0.3 s to start: below this many inputs per worker, one thread is faster. */
const MIN_INPUTS_PER_WORKER = 16;
/** Inputs queued on a worker at once: it has the next one while this thread is busy parsing. */
const WORKER_QUEUE = 3;

/**
 * What a worker sends back: a result with its provenance as JSON text, or an error that is
 * rebuilt as a GongkaiError here.
 */
type Reply = { id: number; result: Omit<ParseResult, 'provenance'>; provenance: string } | { id: number; error: { code: ErrorCode; source: string; text: Bilingual } };

/**
 * `rest` with a `provenance` property that parses `json` when first read (then it is an
 * ordinary value; assigning replaces it). Copying a result's provenance from a worker thread
 * costs more than parsing the report's text; `parse --jsonl` never reads it, and the store
 * stores the text as it is (provenanceJson).
 * The accessor is the same pair of functions on every result, reaching its state through a
 * hidden (non-enumerable symbol) property: accessors made per result would give every result its
 * own hidden class, which V8 keeps in old space, holding the result's closures until a full
 * collection (recognize's provenanceOf says more).
 */
export function withLazyProvenance(rest: Omit<ParseResult, 'provenance'>, json: string): ParseResult {
  Object.defineProperty(rest, LAZY, { value: { json, value: undefined }, enumerable: false, writable: false, configurable: false });
  return Object.defineProperty(rest, 'provenance', PROVENANCE) as ParseResult;
}

/** JSON.stringify(result.provenance), without parsing it first when it is still the worker's text. */
export function provenanceJson(result: ParseResult): string {
  const lazy = (result as Lazy)[LAZY];
  return lazy && lazy.value === undefined ? lazy.json : JSON.stringify(result.provenance);
}

// The worker's text until the provenance is read or replaced; then its value.
const LAZY = Symbol('lazy provenance');
type Lazy = ParseResult & { [LAZY]?: { json: string; value: Provenance | undefined } };
const PROVENANCE: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Lazy) {
    const lazy = this[LAZY]!;
    if (lazy.value === undefined) lazy.value = JSON.parse(lazy.json) as Provenance;
    return lazy.value;
  },
  set(this: Lazy, v: Provenance) {
    this[LAZY]!.value = v;
  },
};

/** How many workers to use for `count` inputs when the user did not say: one per core, if worth it. */
export function defaultJobs(count: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_JOBS, Math.floor(count / MIN_INPUTS_PER_WORKER)));
}

/**
 * Starts the worker module next to this one. Built (dist/*.js) it is loaded as is. Run from source
 * through tsx (the tests), a worker thread does not get tsx's loader hooks from `--import`, so a
 * small bootstrap registers them before importing the .ts module.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url));
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}

interface Pending {
  resolve: (r: ParseResult) => void;
  reject: (e: GongkaiError) => void;
  source: string;
}

/** A fixed set of parse workers. `parse` behaves like parseBytes; `close` ends the workers. */
export class ParsePool {
  private readonly workers: { w: Worker; busy: Set<number> }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(readonly jobs: number) {
    for (let i = 0; i < jobs; i++) this.workers.push(this.spawn());
  }

  private spawn(): { w: Worker; busy: Set<number> } {
    const w = startWorker();
    const slot = { w, busy: new Set<number>() };
    w.on('message', (m: Reply) => {
      slot.busy.delete(m.id);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('result' in m) p.resolve(withLazyProvenance(m.result, m.provenance));
      else p.reject(new GongkaiError(m.error.code, m.error.source, m.error.text));
    });
    // A worker that dies (out of memory, a bug) fails only the inputs it held; a new one takes its place.
    const lost = (why: string) => {
      for (const id of slot.busy) {
        const p = this.pending.get(id);
        if (!p) continue;
        this.pending.delete(id);
        p.reject(toGongkaiError(new Error(`解析线程异常退出 / the parsing thread stopped: ${why}`), p.source));
      }
      slot.busy.clear();
      const i = this.workers.indexOf(slot);
      if (i >= 0 && !this.closed) this.workers[i] = this.spawn();
    };
    w.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    w.on('exit', (code) => {
      if (!this.closed) lost(`exit ${code}`);
    });
    return slot;
  }

  /** Parses bytes on the least busy worker. The bytes are copied to it; the caller keeps its own. */
  parse(bytes: Uint8Array, source: string): Promise<ParseResult> {
    if (this.closed) return Promise.reject(new Error('ParsePool is closed'));
    const id = this.nextId++;
    let slot = this.workers[0];
    for (const s of this.workers) if (s.busy.size < slot.busy.size) slot = s;
    slot.busy.add(id);
    return new Promise<ParseResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, source });
      slot.w.postMessage({ id, bytes, source });
    });
  }

  /** Some worker holds fewer than `queue` inputs (so it will not sit idle while this thread parses). */
  hasRoom(queue: number): boolean {
    return this.workers.some((s) => s.busy.size < queue);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}

/** Reads a file as parseFile does (oversized files refused before reading). */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    const { size } = await stat(path);
    if (size > MAX_INPUT_BYTES) throw tooLargeError(path, size);
    return await readFile(path);
  } catch (e) {
    throw toGongkaiError(e, path);
  }
}

/** One input's outcome: parsed (or failed), or passed through unparsed by `prepare`. */
export type Parsed<T> =
  | {
      input: string;
      /** What `prepare` returned for this input (e.g. its hash), when it did not throw. */
      prepared?: T;
      result: ParseResult | GongkaiError;
    }
  | { input: string; skipped: T };

export interface ParseManyOptions<T> {
  /** Worker threads; 1 parses in this thread. Default: defaultJobs(inputs.length). */
  jobs?: number;
  /**
   * Runs in this thread before parsing (for a few inputs at once): returns the bytes to parse, or
   * `{ skip }` to pass the input through unparsed (e.g. a duplicate already stored). A thrown
   * GongkaiError is that input's failure; any other error ends the batch.
   */
  prepare?: (input: string) => Promise<{ bytes: Uint8Array; prepared?: T } | { skip: T }>;
}

/**
 * Parses inputs, yielding results in input order. A few inputs per worker are in flight at once;
 * the window is bounded, so a slow PDF holds back printing, not memory. One bad input yields its
 * error and the batch goes on.
 */
export async function* parseMany<T = never>(inputs: readonly string[], opts: ParseManyOptions<T> = {}): AsyncGenerator<Parsed<T>> {
  const jobs = Math.max(1, Math.min(MAX_JOBS, Math.floor(opts.jobs ?? defaultJobs(inputs.length))));
  const prepare: NonNullable<ParseManyOptions<T>['prepare']> = opts.prepare ?? (async (input: string) => ({ bytes: await readInput(input) }));
  // This thread parses too, between handing out work: a result sent back from a worker costs about
  // a third of a text report's parse to copy, so on few cores a worker fewer does more.
  const pool = jobs > 1 ? new ParsePool(jobs - 1) : undefined;
  const window: Promise<Parsed<T>>[] = [];
  const start = async (input: string): Promise<Parsed<T>> => {
    // A GongkaiError from prepare is this input's failure; anything else (the database went away)
    // ends the batch.
    let p: Awaited<ReturnType<typeof prepare>>;
    try {
      p = await prepare(input);
    } catch (e) {
      if (e instanceof GongkaiError) return { input, result: e };
      throw e;
    }
    if ('skip' in p) return { input, skipped: p.skip };
    try {
      const result = pool?.hasRoom(WORKER_QUEUE) ? await pool.parse(p.bytes, input) : await parseBytes(p.bytes, input);
      return { input, prepared: p.prepared, result };
    } catch (e) {
      return { input, prepared: p.prepared, result: toGongkaiError(e, input) };
    }
  };
  try {
    // In this thread too, a few inputs are read ahead so that file I/O overlaps parsing.
    const depth = pool ? jobs * 4 : 4;
    let next = 0;
    while (next < inputs.length || window.length) {
      // Several inputs are prepared and parsed at once; results are still taken in input order.
      while (next < inputs.length && window.length < depth) {
        const w = start(inputs[next++]);
        // Marked handled at once: a later input's batch-ending error may come while an earlier one
        // is still awaited; it is rethrown when its turn comes, not reported as unhandled.
        w.catch(() => undefined);
        window.push(w);
      }
      yield await window.shift()!;
    }
  } finally {
    // Stopped early (a consumer's error, or prepare's): the inputs still in flight are dropped.
    await pool?.close();
  }
}

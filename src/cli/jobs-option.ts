// `--jobs`, shared by the verbs that parse many files (parse, check, import).
import { InvalidArgumentError, Option } from 'commander';
import { MAX_JOBS } from '../parse-pool.js';

/** `--jobs`: worker threads for parsing (1 = in this thread). */
export const jobsOption = () =>
  new Option('-j, --jobs <n>', `并行解析的线程数（默认按 CPU 核数，最多 ${MAX_JOBS}） / parsing threads (default: one per core, at most ${MAX_JOBS})`).argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new InvalidArgumentError(`1–${MAX_JOBS}`);
    return n;
  });


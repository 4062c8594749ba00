import { runCli } from './program.js';
runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  },
);

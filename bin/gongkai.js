#!/usr/bin/env node
// The CLI entry: runs the compiled library (npm ci builds it through the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('gongkai: dist/ is missing; run `npm run build` (npm ci does this) / 未找到编译结果，请先运行 npm run build');
  process.exit(2);
}
await import(main.href);

import { readFileSync } from 'node:fs';
import { readText } from '/work/main/src/read/text.ts';
const d = readText(readFileSync(process.argv[2], 'utf8'));
const pat = process.argv[3];
d.blocks.forEach((b, i) => { const t = b.kind === 'para' ? b.text : b.cells.map(c => c.text).join(' | '); if (t.includes(pat)) console.log(i, b.kind, JSON.stringify(t).slice(0, 200)); });

// Writes schema/report.schema.json from the template model (npm run schema). A test keeps the
// committed file equal to what the model generates.
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../dist/model/schema.js';
writeFileSync(new URL('../schema/report.schema.json', import.meta.url), JSON.stringify(reportJsonSchema(), null, 2) + '\n');
console.log('schema/report.schema.json written');

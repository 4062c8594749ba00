// Registers every format reader with read/index.ts. Each reader lives in its own module.
import { registerReader } from './index.js';
import { readHtml } from './html.js';
import { readZip } from './zip.js';
import { readPdf } from './pdf.js';
import { readOle } from './doc.js';

registerReader('html', readHtml);
registerReader('zip', readZip);
registerReader('pdf', readPdf);
registerReader('ole', readOle);

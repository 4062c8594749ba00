// A normalised agency key to link the same body across years (spec §6 "Agency identity needs
// normalising": seed 002 titles 铁东区政务服务局, its body says 四平市铁东区政务服务局).
import { compact } from './normalize.js';

export function agencyKey(agency: string): string {
  return compact(agency)
    .replace(/[()（）《》“”"'·•\s]/g, '')
    .replace(/^中华人民共和国/, '')
    .replace(/(?:办公室|办公厅)$/, (m) => m) // kept: 办公室 is a body of its own
    .replace(/人民政府/g, '政府');
}

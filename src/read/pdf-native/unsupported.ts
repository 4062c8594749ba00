// The native reader's one way of saying "not sure": pdf.ts catches it and reads the file with
// pdfjs instead. Every construct the native reader does not fully understand throws this, so a
// wrong glyph or a missing ruling line never comes out of a half-understood file.

export class NativePdfUnsupported extends Error {
  constructor(readonly reason: string) {
    super(`native PDF reader: ${reason}`);
    this.name = 'NativePdfUnsupported';
  }
}

export function unsupported(reason: string): never {
  throw new NativePdfUnsupported(reason);
}

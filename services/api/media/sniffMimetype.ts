/** Magic numbers of the media types WhatsApp sends, checked against a file's first bytes. */
const SIGNATURES: readonly { mimetype: string; at: number; bytes: readonly number[] }[] = [
  { mimetype: 'image/jpeg', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { mimetype: 'image/png', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimetype: 'image/gif', at: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { mimetype: 'image/webp', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] },
  { mimetype: 'application/pdf', at: 0, bytes: [0x25, 0x50, 0x44, 0x46] },
  { mimetype: 'audio/ogg', at: 0, bytes: [0x4f, 0x67, 0x67, 0x53] },
  { mimetype: 'audio/mpeg', at: 0, bytes: [0x49, 0x44, 0x33] },
  { mimetype: 'video/mp4', at: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
];

/** The MIME type a file's first bytes announce, or null when none of the known ones. */
export function sniffMimetype(head: Uint8Array): string | null {
  for (const signature of SIGNATURES) {
    if (signature.mimetype === 'image/webp' && !startsWith(head, 0, [0x52, 0x49, 0x46, 0x46])) continue;
    if (startsWith(head, signature.at, signature.bytes)) return signature.mimetype;
  }
  return null;
}

function startsWith(head: Uint8Array, at: number, bytes: readonly number[]): boolean {
  return head.length >= at + bytes.length && bytes.every((byte, i) => head[at + i] === byte);
}

import path from 'node:path'

// How a stored draft is sent to a browser (the store itself is db/draft-files.ts).

const TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xbrl': 'application/xml',
  '.xml': 'application/xml',
}

/** The type a download is sent as, from its file name; anything unknown is plain bytes. */
export function draftContentType(fileName: string): string {
  return TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream'
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the ASCII name for old clients, the exact one for the rest. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/**
 * A file the app makes (a packet, a bundle, a receipt, a CSV) sent as a download:
 * never sniffed as another type; no-store is added for every answer by server.ts.
 * `fileName` is the app's own ASCII name.
 */
export function generatedDownload(body: BodyInit, contentType: string, fileName: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-cache',
    },
  })
}

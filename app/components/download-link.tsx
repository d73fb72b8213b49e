import { type MouseEvent, type ReactNode, useState } from 'react'

// A download link that works without JavaScript (a plain link with `download`),
// and with it shows how much has arrived while a large export streams in: it
// fetches the same address, reads the body with a ReadableStream reader, counts
// the bytes, then hands the file to the browser (docs/decisions/018).

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} kB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

export function DownloadLink({ href, fileName, children }: { href: string; fileName: string; children: ReactNode }) {
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)

  async function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    if (typeof ReadableStream === 'undefined' || typeof URL.createObjectURL !== 'function') return
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setStatus('Preparing the file…')
    try {
      const response = await fetch(href, { credentials: 'same-origin' })
      if (!response.ok || !response.body) {
        // The server's own page says what went wrong (a refusal, a missing report).
        window.location.assign(href)
        return
      }
      const reader = response.body.getReader()
      const parts: Uint8Array[] = []
      let bytes = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        parts.push(value)
        bytes += value.length
        setStatus(`${size(bytes)} received…`)
      }
      const url = URL.createObjectURL(
        new Blob(parts as BlobPart[], { type: response.headers.get('Content-Type') ?? 'application/octet-stream' }),
      )
      const a = document.createElement('a')
      a.href = url
      a.download = fileName
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
      setStatus(`Downloaded (${size(bytes)}).`)
    } catch {
      setStatus('The download was interrupted: try the link again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <a href={href} download={fileName} onClick={onClick} aria-busy={busy || undefined}>
        {children}
      </a>{' '}
      <span role="status" className="ow-muted">
        {status}
      </span>
    </>
  )
}

// The signature manifestation, before and after signing. 21 CFR 11.50: a signed
// record shows the printed name of the signer, the date and time of signing, and
// the meaning of the signature. Here also the duty's words and the draft, because
// that is what the signature is about.

export interface ManifestationPreview {
  printedName: string
  title: string
  officerTitle: string
  atUtc: string
  atLocal: string
  timeZone: string
  meaningText: string
  draft: { version: number; sha256: string } | null
  duty: { number: number; title: string }
}

export interface StoredSignOff {
  id: string
  meaningText: string
  withException: boolean
  printedName: string
  title: string
  signedAtUtc: string
  signedAtLocal: string
  timeZone: string
  draft: { id: string; version: number | null; sha256: string } | null
}

export function ManifestationPreviewList({ m }: { m: ManifestationPreview }) {
  return (
    <dl className="ow-manifestation">
      <div>
        <dt>Printed name</dt>
        <dd>{m.printedName}</dd>
      </div>
      <div>
        <dt>Title</dt>
        <dd>
          {m.title} <span className="ow-muted">(signing as {m.officerTitle})</span>
        </dd>
      </div>
      <div>
        <dt>Date and time</dt>
        <dd>
          {m.atUtc}
          <br />
          {m.atLocal} <span className="ow-muted">({m.timeZone})</span>
          <br />
          <span className="ow-muted">The moment you press Sign is recorded, by the server’s clock.</span>
        </dd>
      </div>
      <div>
        <dt>Meaning</dt>
        <dd className="ow-meaning">{m.meaningText}</dd>
      </div>
      <div>
        <dt>About</dt>
        <dd>
          Duty {m.duty.number}, {m.duty.title.toLowerCase()}
          {m.draft ? (
            <>
              {' '}
              — draft {m.draft.version}, SHA-256 <code className="ow-hash">{m.draft.sha256}</code>
            </>
          ) : null}
        </dd>
      </div>
    </dl>
  )
}

export function StoredSignOffList({ s }: { s: StoredSignOff }) {
  return (
    <dl className="ow-manifestation">
      <div>
        <dt>Printed name</dt>
        <dd>{s.printedName}</dd>
      </div>
      <div>
        <dt>Title</dt>
        <dd>{s.title}</dd>
      </div>
      <div>
        <dt>Signed at</dt>
        <dd>
          {s.signedAtUtc}
          <br />
          {s.signedAtLocal} <span className="ow-muted">({s.timeZone})</span>
        </dd>
      </div>
      <div>
        <dt>Meaning</dt>
        <dd className="ow-meaning">{s.meaningText}</dd>
      </div>
      <div>
        <dt>Draft</dt>
        <dd>
          {s.draft ? (
            <>
              Draft {s.draft.version ?? '?'}, SHA-256 <code className="ow-hash">{s.draft.sha256}</code>
            </>
          ) : (
            'No draft was registered'
          )}
        </dd>
      </div>
      <div>
        <dt>Sign-off id</dt>
        <dd>
          <code className="ow-hash">{s.id}</code>
          <br />
          <span className="ow-muted">The SHA-256 of everything signed; the workflow’s hash chain carries it.</span>
        </dd>
      </div>
    </dl>
  )
}

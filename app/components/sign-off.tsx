// The signature manifestation, before and after signing. 21 CFR 11.50: a signed
// record shows the printed name of the signer, the date and time of signing, and
// the meaning of the signature. Here also the duty's words and the draft, because
// that is what the signature is about. A name, a title and an exception's
// explanation are someone's writing: shown through UserText, so a direction
// control cannot make a signature read as other than what was signed.

import { UserText } from './user-text'

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
        <dd>
          <UserText>{m.printedName}</UserText>
        </dd>
      </div>
      <div>
        <dt>Title</dt>
        <dd>
          <UserText>{m.title}</UserText> <span className="ow-muted">(signing as {m.officerTitle})</span>
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
        <dd className="ow-meaning">
          <UserText>{m.meaningText}</UserText>
        </dd>
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
        <dd>
          <UserText>{s.printedName}</UserText>
        </dd>
      </div>
      <div>
        <dt>Title</dt>
        <dd>
          <UserText>{s.title}</UserText>
        </dd>
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
        <dd className="ow-meaning">
          <UserText>{s.meaningText}</UserText>
        </dd>
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

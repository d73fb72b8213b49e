// Unicode's explicit direction controls: embeddings and overrides (U+202A–U+202E)
// and isolates (U+2066–U+2069). Invisible, they reorder the text shown around
// them, so "invoice\u202Efdp.exe" displays as "invoiceexe.pdf" and an answer can be
// made to read as something other than what was stored (Trojan Source,
// CVE-2021-42574; Unicode TR #9). In text a person wrote they are shown, by name.
// Right-to-left letters themselves (Hebrew, Arabic) are left as they are.

export const DIRECTION_CONTROLS: Readonly<Record<string, { abbr: string; name: string }>> = {
  '\u202A': { abbr: 'LRE', name: 'left-to-right embedding' },
  '\u202B': { abbr: 'RLE', name: 'right-to-left embedding' },
  '\u202C': { abbr: 'PDF', name: 'pop directional formatting' },
  '\u202D': { abbr: 'LRO', name: 'left-to-right override' },
  '\u202E': { abbr: 'RLO', name: 'right-to-left override' },
  '\u2066': { abbr: 'LRI', name: 'left-to-right isolate' },
  '\u2067': { abbr: 'RLI', name: 'right-to-left isolate' },
  '\u2068': { abbr: 'FSI', name: 'first strong isolate' },
  '\u2069': { abbr: 'PDI', name: 'pop directional isolate' },
}

/** With a capture group, so that `split` keeps each control as its own part. */
export const DIRECTION_CONTROL_PATTERN = /([\u202A-\u202E\u2066-\u2069])/

/** The text with each direction control replaced by a visible marker, e.g. ⟨RLO⟩: for places that take only a string (an <option>, a title). */
export function showDirectionControls(text: string): string {
  return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, (c) => `⟨${DIRECTION_CONTROLS[c]!.abbr}⟩`)
}

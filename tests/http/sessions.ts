import { expect, inject } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// Signing in over HTTP for the HTTP tests: one form post from this origin, as a browser would.

/** The session cookie (`name=value`) of a fresh sign-in of `email` (on the shared server unless `baseURL` names another); the sign-in must redirect. */
export async function signInCookie(email: string, label: string = email, baseURL: string = inject('baseURL')): Promise<string> {
  const response = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status, label).toBe(302)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

/** One session per person of `users`, signed in on first use and kept for the file. */
export function sessionsOf<Who extends string>(users: Readonly<Record<Who, string>>): (who: Who) => Promise<string> {
  const cookies = new Map<Who, string>()
  return async (who) => {
    const known = cookies.get(who)
    if (known) return known
    const cookie = await signInCookie(users[who], who)
    cookies.set(who, cookie)
    return cookie
  }
}

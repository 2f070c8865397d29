import { randomInt } from 'node:crypto'
import type { FieldIssue } from '../../contract/errors'

const MIN_PASSWORD_LENGTH = 8
const CLASSES = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]

/**
 * 等保 level-3 practice: at least 8 characters from at least 3 of the 4 classes, and not
 * containing the username. Returns message keys for the password field (empty when acceptable).
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = []
  if (password.length < MIN_PASSWORD_LENGTH) problems.push('password.tooShort')
  if (CLASSES.filter((re) => re.test(password)).length < 3) problems.push('password.classes')
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('password.containsUsername')
  return problems
}

export function passwordIssues(field: string, password: string, username: string): FieldIssue[] {
  return passwordProblems(password, username).map((message) => ({ path: field, message }))
}

/** A random password meeting the policy, for `user reset-password` on the command line. */
export function generatePassword(length = 12): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#$%^&*-_=+']
  const all = sets.join('')
  const chars = sets.map((s) => s[randomInt(s.length)]!)
  while (chars.length < length) chars.push(all[randomInt(all.length)]!)
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j]!, chars[i]!]
  }
  return chars.join('')
}

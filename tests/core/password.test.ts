import { describe, expect, it } from 'vitest'
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../electron/core/security/password-hash'
import { generatePassword, passwordProblems } from '../../electron/core/security/password-policy'

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('Clerk#2026new')
    const b = await hashPassword('Clerk#2026new')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('Clerk#2026new', a)).toBe(true)
    expect(await verifyPassword('Clerk#2026neW', a)).toBe(false)
  })

  it('never matches the dummy hash used for unknown users', async () => {
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false)
    expect(await verifyPassword('anything', DUMMY_HASH)).toBe(false)
  })
})

describe('password policy', () => {
  it('requires 8 characters from 3 classes and no username inside', () => {
    expect(passwordProblems('Zhang#2026x', 'admin')).toEqual([])
    expect(passwordProblems('Ab1#', 'admin')).toContain('password.tooShort')
    expect(passwordProblems('abcdefgh1', 'admin')).toEqual(['password.classes'])
    expect(passwordProblems('Admin#2026x', 'admin')).toEqual(['password.containsUsername'])
  })

  it('generates passwords that pass its own policy', () => {
    for (let i = 0; i < 50; i++) expect(passwordProblems(generatePassword(), 'admin')).toEqual([])
  })
})

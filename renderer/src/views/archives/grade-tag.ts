/** Element Plus tag colours for integrity grades. */
export const gradeTag: Record<string, string> = {
  trustworthy: 'success',
  basically_trustworthy: 'warning',
  dishonest: 'danger',
  seriously_dishonest: 'danger',
}

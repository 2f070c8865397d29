// Heavy libraries loaded on first use, not at start: exceljs and docx come to some 45 MB of memory together,
// which a session that never touches a spreadsheet or a letter (or a long package export) should not carry.
export const loadExcel = async () => (await import('exceljs')).default
export const loadDocx = () => import('docx')

/** CVSS 3.1 base vectors of the auth checks (scores computed with the 3.1 formulas). */
export const AUTH_CVSS = {
  /** Anyone forges any identity. */
  forgeAnyIdentity: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', score: 9.1 },
  /** A token that should be dead (expired, not yet valid) still works: it has to be obtained first. */
  staleToken: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', score: 7.4 },
  /** A token its holder should not be able to use here (another audience, after logout). */
  misusedToken: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
} as const;

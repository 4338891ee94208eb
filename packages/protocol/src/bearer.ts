/** The secret of an `Authorization: Bearer <secret>` header (RFC 6750 2.1; the scheme is
 * case-insensitive), or null when there is none or it is malformed. */
export function bearerSecret(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

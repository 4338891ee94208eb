/** Maps uid -> user name from an /etc/passwd text; malformed lines are skipped (NSS may
 * have more users than the file; those stay nameless rather than guessed). */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split("\n")) {
    // glibc's nss_files ignores comment lines, so a commented-out user names nobody.
    if (/^\s*#/.test(line)) continue;
    const [name, , uid] = line.split(":");
    const n = Number(uid);
    if (name && uid !== undefined && uid !== "" && Number.isInteger(n) && !users.has(n)) users.set(n, name);
  }
  return users;
}

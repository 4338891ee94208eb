import type { FieldErrors } from "./draft-check";

/** Which field a planning refusal is about, by its code (the rest concern the form as a whole). */
const FIELD_OF_CODE: Readonly<Record<string, string>> = {
  NAME_TAKEN: "name",
  NO_SUCH_LINK: "link",
  LINK_NETNS_LOCAL: "link",
  SAME_STACK: "to",
  ADDRESS_EXISTS: "address",
  NO_SUCH_ADDRESS: "address",
  NO_SUCH_FILE: "file",
  NO_SUCH_PIN: "path",
  NO_SUCH_MOUNT_NS: "mountNs",
};

/** A planning error from the server as field errors: a schema refusal names its parameter
 * ("params.address: …"), a refusal of the host's state has a code. */
export function planErrorFields(error: { message: string; data?: unknown }): FieldErrors {
  const code = (error.data as { appCode?: unknown } | undefined)?.appCode;
  const m = /^params\.([A-Za-z.]+): (.*)$/s.exec(error.message);
  if (m?.[1] && m[2]) return { [m[1]]: m[2] };
  const field = typeof code === "string" ? FIELD_OF_CODE[code] : undefined;
  return { [field ?? ""]: error.message.replace(/^params: /, "") };
}

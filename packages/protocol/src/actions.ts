import { z } from "zod";

// nsatlas's own name grammar, checked by the hub when it plans AND by the agent before it
// runs anything: both import these schemas, so there is one definition of what is allowed.

/** A stack name: 1-64 of A-Z a-z 0-9 _ . -, not starting with ".", not all digits, not "initial".
 * All digits are refused because `ip link set IF netns 1` reads its argument as a name under
 * /run/netns before it tries a pid: a stack named "1" would capture "move back to the initial
 * stack" (pid 1). "initial" is nsatlas's own word for the initial stack. */
export const STACK_NAME_PATTERN = /^(?!\.)(?![0-9]+$)[A-Za-z0-9_.-]{1,64}$/;
/** A link name: the same characters, 1-15 long (IFNAMSIZ is 16 with the NUL); like stack names
 * never all digits (nobody names a link "7", and a number reads as an index to people and tools)
 * and never starting with "." (the kernel refuses "." and ".."). */
export const LINK_NAME_PATTERN = /^(?!\.)(?![0-9]+$)[A-Za-z0-9_.-]{1,15}$/;
/** `net:<inode>`: a stack without a name, reached through one of its holders. */
export const STACK_ID_PATTERN = /^net:[0-9]{1,20}$/;
/** Most bytes a netns.file.write may write (what the scanner reads back of each file, too). */
export const MAX_NETNS_FILE_BYTES = 64 * 1024;
/** The only files under /etc/netns/<name>/ nsatlas writes (`ip netns exec` binds them over /etc). */
export const NETNS_FILES = ["resolv.conf", "hosts"] as const;
/** Where `ip netns exec` looks for per-stack /etc files. */
export const ETC_NETNS_DIR = "/etc/netns";

const STACK_NAME_RULE =
  "a stack name is 1-64 of A-Z a-z 0-9 _ . -, not starting with '.', not all digits, not 'initial'";
const LINK_NAME_RULE = "a link name is 1-15 of A-Z a-z 0-9 _ . -, not starting with '.', not all digits";

export const StackName = z
  .string()
  .regex(STACK_NAME_PATTERN, STACK_NAME_RULE)
  .refine((n) => n !== "initial", STACK_NAME_RULE);
export const LinkName = z.string().regex(LINK_NAME_PATTERN, LINK_NAME_RULE);

/** Which stack an action works in: a stack name, "initial", or `net:<inode>`. */
export const StackRef = z
  .string()
  .max(64)
  .refine(
    (s) => s === "initial" || STACK_ID_PATTERN.test(s) || (STACK_NAME_PATTERN.test(s) && s !== "initial"),
    "expected a stack name, 'initial' or net:<inode>",
  );
export type StackRef = z.infer<typeof StackRef>;

/** An interface address with its prefix length, e.g. 10.0.0.1/24 or fd00::1/64. */
export const CidrAddress = z.union([z.cidrv4(), z.cidrv6()], {
  error: "expected an address with a prefix, e.g. 10.0.0.1/24",
});

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const FileContent = z
  .string()
  .refine((s) => utf8Bytes(s) <= MAX_NETNS_FILE_BYTES, `content is larger than ${MAX_NETNS_FILE_BYTES} bytes`)
  .refine((s) => !s.includes("\0"), "content must not contain NUL bytes");
const NetnsFile = z.enum(NETNS_FILES);

const action = <T extends string, P extends z.ZodRawShape>(type: T, params: P) =>
  z.strictObject({ type: z.literal(type), params: z.strictObject(params) });

export const NetnsCreate = action("netns.create", { name: StackName });
export const NetnsDelete = action("netns.delete", { name: StackName, force: z.boolean().optional() });
export const LinkMove = action("link.move", { ns: StackRef, link: LinkName, to: StackRef });
export const VethCreate = action("veth.create", {
  a: z.strictObject({ ns: StackRef, name: LinkName }),
  b: z.strictObject({ ns: StackRef, name: LinkName }),
});
export const LinkSetState = action("link.setState", { ns: StackRef, link: LinkName, up: z.boolean() });
export const AddrAdd = action("addr.add", { ns: StackRef, link: LinkName, address: CidrAddress });
export const AddrDel = action("addr.del", { ns: StackRef, link: LinkName, address: CidrAddress });
export const NetnsFileWrite = action("netns.file.write", { name: StackName, file: NetnsFile, content: FileContent });
export const NetnsFileDelete = action("netns.file.delete", { name: StackName, file: NetnsFile });
/** A mount namespace, as the inventory names it. */
export const MountNsId = z.string().regex(/^mnt:[0-9]{1,20}$/, "expected mnt:<inode>");
/** A path the agent opens or hands to a program: absolute, plain characters only, no `.`/`..`
 * segment, so never starting with "-" and never walking out of where it points. */
export const NSFS_PATH_PATTERN = /^(?!.*\/\.\.?(\/|$))\/[A-Za-z0-9_.:@+/-]{1,4095}$/;
/** Where a pin (a bind mount of an nsfs file) is mounted, as its mount namespace sees it. */
export const PinPath = z.string().regex(NSFS_PATH_PATTERN, "expected an absolute path such as /run/netns/web");
/** Unmounts one pin of a stack inside the mount namespace that holds it. The initial stack is
 * never freed, so it is not a target. */
export const NetnsPinRemove = action("netns.pin.remove", {
  ns: StackRef.refine((s) => s !== "initial", "the initial stack is never freed"),
  path: PinPath,
  mountNs: MountNsId,
});

// Packet capture (capture.ts has its frames and argv).
export const CAPTURE_DEFAULTS = {
  snaplen: 262_144,
  maxSeconds: 60,
  maxBytes: 64 * 1024 * 1024,
  maxPackets: null,
} as const;
/** Longest capture anyone may ask for. */
export const MAX_CAPTURE_SECONDS = 3600;
/** Largest maxBytes (the hub's disk cap, NSATLAS_CAPTURE_MAX_BYTES, applies on top). */
export const MAX_CAPTURE_BYTES = 4 * 1024 * 1024 * 1024;
/** Longest filter expression, in characters. */
export const MAX_CAPTURE_FILTER = 2048;

/** A pcap-filter(7) expression: printable text, one argv element (never seen by a shell). */
export const CaptureFilter = z
  .string()
  .max(MAX_CAPTURE_FILTER)
  .refine((s) => ![...s].some((c) => c < " " || c === "\x7f"), "the filter must be printable text on one line");

const captureParams = {
  ns: StackRef,
  /** One link of the stack, or null for every interface ("any": Linux cooked headers). */
  link: LinkName.nullable().default(null),
  filter: CaptureFilter.default(""),
  snaplen: z.number().int().min(64).max(262_144).default(CAPTURE_DEFAULTS.snaplen),
  maxSeconds: z.number().int().min(1).max(MAX_CAPTURE_SECONDS).default(CAPTURE_DEFAULTS.maxSeconds),
  maxBytes: z.number().int().min(4096).max(MAX_CAPTURE_BYTES).default(CAPTURE_DEFAULTS.maxBytes),
  maxPackets: z.number().int().min(1).max(1_000_000_000).nullable().default(CAPTURE_DEFAULTS.maxPackets),
};

export const CaptureStart = action("capture.start", captureParams);
export type CaptureStartParams = z.infer<typeof CaptureStart>["params"];

/** One guarded action: `{type, params}` (the body of POST /api/v1/hosts/{id}/actions). */
export const Action = z.discriminatedUnion("type", [
  NetnsCreate,
  NetnsDelete,
  LinkMove,
  VethCreate,
  LinkSetState,
  AddrAdd,
  AddrDel,
  NetnsFileWrite,
  NetnsFileDelete,
  NetnsPinRemove,
  CaptureStart,
]);
export type Action = z.infer<typeof Action>;
export type ActionType = Action["type"];

export const ACTION_TYPES: readonly ActionType[] = Action.options.map((o) => o.shape.type.value);

/** The name a person types to confirm an action: the stack or link it is about. */
export function confirmText(a: Action): string {
  switch (a.type) {
    case "netns.create":
    case "netns.delete":
    case "netns.file.write":
    case "netns.file.delete":
      return a.params.name;
    case "capture.start":
      return a.params.ns;
    case "veth.create":
      return a.params.a.name;
    case "link.move":
    case "link.setState":
    case "addr.add":
    case "addr.del":
      return a.params.link;
    case "netns.pin.remove":
      return a.params.ns;
  }
}

/** The first problem of a failed parse, as one readable line ("params.name: …"). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}

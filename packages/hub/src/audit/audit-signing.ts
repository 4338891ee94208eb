import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { AuditCheckpoint, AuditPublicKey } from "@nsatlas/protocol";
import { AuditFileError, createFileOnce } from "./audit-files.js";
import { canonicalJson } from "./canonical-json.js";

/** The Ed25519 key that signs checkpoints (the private half never leaves the data dir). */
export interface AuditSigner {
  readonly info: AuditPublicKey;
  sign(c: Omit<AuditCheckpoint, "signature">): AuditCheckpoint;
}

/** keyId (16 hex digits) and fingerprint (`SHA256:` base64) of a public key, from its DER. */
export function publicKeyInfo(key: KeyObject): AuditPublicKey {
  if (key.asymmetricKeyType !== "ed25519") throw new AuditFileError("the key is not an Ed25519 key");
  const der = key.export({ type: "spki", format: "der" });
  const sha = createHash("sha256").update(der).digest();
  return {
    keyId: sha.subarray(0, 8).toString("hex"),
    algorithm: "Ed25519",
    publicKey: key.export({ type: "spki", format: "pem" }).toString(),
    fingerprint: `SHA256:${sha.toString("base64").replace(/=+$/, "")}`,
  };
}

/** What a checkpoint's signature covers: the RFC 8785 canonical JSON of its four fields. */
export function checkpointPayload(c: Omit<AuditCheckpoint, "signature">): Buffer {
  return Buffer.from(canonicalJson({ keyId: c.keyId, seq: c.seq, ts: c.ts, digest: c.digest }));
}

/** Whether `c` was signed by `key` (a malformed signature is simply not valid). */
export function checkpointSignedBy(c: AuditCheckpoint, key: KeyObject): boolean {
  try {
    return verify(null, checkpointPayload(c), key, Buffer.from(c.signature, "base64"));
  } catch {
    return false;
  }
}

/** Reads a public key PEM (an auditor's copy); throws AuditFileError when it is not Ed25519. */
export function readPublicKey(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(path, "utf8"));
  } catch (err) {
    throw new AuditFileError(
      `cannot read the public key ${path}: ${(err as NodeJS.ErrnoException).code ?? "not a PEM public key"}`,
    );
  }
  if (key.asymmetricKeyType !== "ed25519") throw new AuditFileError(`${path} is not an Ed25519 public key`);
  return key;
}

function signerOf(privateKey: KeyObject): AuditSigner {
  const info = publicKeyInfo(createPublicKey(privateKey));
  return {
    info,
    sign: (c) => ({ ...c, signature: sign(null, checkpointPayload(c), privateKey).toString("base64") }),
  };
}

/** The signer of an existing Ed25519 private key file (PKCS#8 PEM); throws AuditFileError. */
export function readSigningKey(privatePath: string): AuditSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(privatePath, "utf8"));
  } catch (err) {
    throw new AuditFileError(
      `cannot read the audit signing key ${privatePath}: ${(err as NodeJS.ErrnoException).code ?? "not a PEM private key"}`,
    );
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new AuditFileError(`${privatePath} is not an Ed25519 key`);
  return signerOf(privateKey);
}

/** The signing key of a data dir (PKCS#8 PEM, mode 0400, a file of its own beside the HMAC
 * key), created when missing unless checkpoints already exist (`signedCheckpoints` > 0: they
 * were signed with the lost key). The public half is also written to `publicPath`. */
export function loadOrCreateSigningKey(
  privatePath: string,
  publicPath: string,
  signedCheckpoints: number,
): { signer: AuditSigner; created: boolean } {
  let created = false;
  if (!existsSync(privatePath)) {
    if (signedCheckpoints > 0) {
      throw new AuditFileError(
        `${privatePath} is missing but ${signedCheckpoints} audit checkpoints were signed with it: restore ${basename(privatePath)} from a backup (nsatlas will not sign an existing log with a new key)`,
      );
    }
    const { privateKey } = generateKeyPairSync("ed25519");
    // false: another process created it first; theirs is used.
    created = createFileOnce(privatePath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), 0o400);
  }
  const signer = readSigningKey(privatePath);
  if (!existsSync(publicPath)) writeFileSync(publicPath, signer.info.publicKey, { mode: 0o644 });
  return { signer, created };
}

/** The checkpoint that covers `head` for `signer`: `last` when it already names that row with
 * this key (`fresh` false: nothing to store), else a new signature made at `now`. */
export function headCheckpoint(
  signer: AuditSigner,
  head: { seq: number; digest: string },
  last: AuditCheckpoint | null | undefined,
  now: Date,
): { checkpoint: AuditCheckpoint; fresh: boolean } {
  if (last && last.seq === head.seq && last.keyId === signer.info.keyId) return { checkpoint: last, fresh: false };
  const checkpoint = signer.sign({
    keyId: signer.info.keyId,
    seq: head.seq,
    ts: now.toISOString(),
    digest: head.digest,
  });
  return { checkpoint, fresh: true };
}

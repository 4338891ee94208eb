import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificates {
  /** The CA that signed the server certificate. */
  caCert: string;
  /** A certificate for 127.0.0.1 and localhost, signed by caCert, and its key. */
  serverCert: string;
  serverKey: string;
  /** Another CA that signed nothing here: trusting it must not trust the server. */
  wrongCaCert: string;
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Makes two CAs and a server certificate for 127.0.0.1 (openssl CLI, argv only) in dir. */
export function makeTestCertificates(dir: string): TestCertificates {
  const p = (name: string) => join(dir, name);
  for (const ca of ["ca", "wrong-ca"]) {
    openssl(
      ["req", "-x509", ...P256, "-keyout", p(`${ca}.key`), "-out", p(`${ca}.crt`), "-days", "2"].concat([
        "-subj",
        `/CN=nsatlas test ${ca}`,
      ]),
    );
  }
  openssl(["req", ...P256, "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=127.0.0.1"]);
  writeFileSync(
    p("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    ["x509", "-req", "-in", p("server.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial"].concat([
      "-out",
      p("server.crt"),
      "-days",
      "2",
      "-extfile",
      p("server.ext"),
    ]),
  );
  return {
    caCert: p("ca.crt"),
    serverCert: p("server.crt"),
    serverKey: p("server.key"),
    wrongCaCert: p("wrong-ca.crt"),
  };
}

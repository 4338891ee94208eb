// The filter language of util-linux's libsmartcols (scols-filter(5), lsns -Q since 2.40):
//   expr: param | ( expr ) | expr && expr | expr AND expr | expr || expr | expr OR expr
//       | !expr | NOT expr | expr == expr | expr EQ expr | expr != expr | expr NE expr
//       | expr >= expr | GE | <= LE | > GT | < LT | expr =~ string | expr !~ string
//   param: integer ([0-9]+ with an optional K..Y or KiB..YiB suffix) | float | string ("…" or '…')
//        | boolean (true false TRUE FALSE) | holder (a column name: [a-zA-Z][a-zA-Z_.%:/\-0-9]*)
// Precedence, lowest first: OR, AND, the comparisons (left-associative), NOT.
import { LsnsUsageError } from "./getopt.js";

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type FilterExpr =
  | { kind: "holder"; column: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "compare"; op: CompareOp; left: FilterExpr; right: FilterExpr }
  | { kind: "regex"; negate: boolean; left: FilterExpr; pattern: RegExp; source: string };

type Token =
  | { t: "op"; v: string; at: number }
  | { t: "holder"; v: string; at: number }
  | { t: "string"; v: string; at: number }
  | { t: "number"; v: number; at: number }
  | { t: "boolean"; v: boolean; at: number };

const WORD_OPS: Record<string, string> = {
  and: "&&",
  AND: "&&",
  or: "||",
  OR: "||",
  not: "!",
  NOT: "!",
  eq: "==",
  EQ: "==",
  ne: "!=",
  NE: "!=",
  lt: "<",
  LT: "<",
  le: "<=",
  LE: "<=",
  gt: ">",
  GT: ">",
  ge: ">=",
  GE: ">=",
};
const SYMBOL_OPS = ["&&", "||", "==", "!=", "<=", ">=", "=~", "!~", "<", ">", "!", "(", ")"];
const SUFFIX = "KMGTPEZY";

class FilterSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const body = end < 0 ? "" : text.slice(i + 1, end);
      if (end < 0 || body.includes("\n")) throw new FilterSyntaxError(`unterminated string at ${at + 1}`);
      out.push({ t: "string", v: body, at });
      i = end + 1;
      continue;
    }
    const num = /^(\d+)(?:\.(\d+)|([KMGTPEZY])(iB)?)?/.exec(text.slice(i));
    if (num) {
      const [whole, int = "", frac, suffix] = num;
      let value = frac !== undefined ? Number(`${int}.${frac}`) : Number(int);
      if (suffix) value *= 1024 ** (SUFFIX.indexOf(suffix) + 1);
      out.push({ t: "number", v: value, at });
      i += whole.length;
      continue;
    }
    const word = /^[a-zA-Z][a-zA-Z_.%:/\-0-9]*/.exec(text.slice(i));
    if (word) {
      const w = word[0];
      const op = WORD_OPS[w];
      if (op) out.push({ t: "op", v: op, at });
      else if (w === "true" || w === "TRUE" || w === "false" || w === "FALSE")
        out.push({ t: "boolean", v: w.toLowerCase() === "true", at });
      else out.push({ t: "holder", v: w, at });
      i += w.length;
      continue;
    }
    const sym = SYMBOL_OPS.find((s) => text.startsWith(s, i));
    if (!sym) throw new FilterSyntaxError(`unexpected '${c}' at ${at + 1}`);
    out.push({ t: "op", v: sym, at });
    i += sym.length;
  }
  return out;
}

class Parser {
  #i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpr {
    if (this.tokens.length === 0) throw new FilterSyntaxError("empty expression");
    const e = this.or();
    const rest = this.tokens[this.#i];
    if (rest) throw new FilterSyntaxError(`unexpected ${describe(rest)} at ${rest.at + 1}`);
    return e;
  }

  #peekOp(...ops: string[]): string | null {
    const t = this.tokens[this.#i];
    return t?.t === "op" && ops.includes(t.v) ? t.v : null;
  }

  or(): FilterExpr {
    let left = this.and();
    while (this.#peekOp("||")) {
      this.#i++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  and(): FilterExpr {
    let left = this.compare();
    while (this.#peekOp("&&")) {
      this.#i++;
      left = { kind: "and", left, right: this.compare() };
    }
    return left;
  }

  compare(): FilterExpr {
    let left = this.unary();
    for (let op = this.#peekOp("==", "!=", "<", "<=", ">", ">=", "=~", "!~"); op; ) {
      this.#i++;
      if (op === "=~" || op === "!~") {
        const t = this.tokens[this.#i++];
        if (t?.t !== "string") throw new FilterSyntaxError(`${op} needs a quoted regular expression`);
        let pattern: RegExp;
        try {
          pattern = new RegExp(t.v);
        } catch {
          throw new FilterSyntaxError(`invalid regular expression '${t.v}'`);
        }
        left = { kind: "regex", negate: op === "!~", left, pattern, source: t.v };
      } else {
        left = { kind: "compare", op: op as CompareOp, left, right: this.unary() };
      }
      op = this.#peekOp("==", "!=", "<", "<=", ">", ">=", "=~", "!~");
    }
    return left;
  }

  unary(): FilterExpr {
    if (this.#peekOp("!")) {
      this.#i++;
      return { kind: "not", expr: this.unary() };
    }
    return this.primary();
  }

  primary(): FilterExpr {
    const t = this.tokens[this.#i++];
    if (!t) throw new FilterSyntaxError("unexpected end of expression");
    switch (t.t) {
      case "holder":
        return { kind: "holder", column: t.v };
      case "string":
        return { kind: "string", value: t.v };
      case "number":
        return { kind: "number", value: t.v };
      case "boolean":
        return { kind: "boolean", value: t.v };
      case "op":
        if (t.v === "(") {
          const e = this.or();
          if (!this.#peekOp(")")) throw new FilterSyntaxError(`missing ')' for '(' at ${t.at + 1}`);
          this.#i++;
          return e;
        }
        throw new FilterSyntaxError(`unexpected '${t.v}' at ${t.at + 1}`);
    }
  }
}

function describe(t: Token): string {
  return t.t === "op" ? `'${t.v}'` : t.t === "string" ? `string "${t.v}"` : `'${String(t.v)}'`;
}

/** Column names an expression uses. */
export function filterHolders(e: FilterExpr): string[] {
  switch (e.kind) {
    case "holder":
      return [e.column];
    case "not":
      return filterHolders(e.expr);
    case "and":
    case "or":
    case "compare":
      return [...filterHolders(e.left), ...filterHolders(e.right)];
    case "regex":
      return filterHolders(e.left);
    default:
      return [];
  }
}

/** Parses an expression; a syntax error is lsns's `failed to parse "EXPR": why`. */
export function parseFilter(text: string): FilterExpr {
  try {
    return new Parser(tokenize(text)).parse();
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new LsnsUsageError(`failed to parse "${text}": ${err.message}`);
    throw err;
  }
}

/** A cell as the filter sees it: its text (null when empty) and its column's JSON type. */
export interface FilterCell {
  text: string | null;
  type: "number" | "string";
}

type Value =
  | { type: "number"; v: number }
  | { type: "string"; v: string }
  | { type: "boolean"; v: boolean }
  | { type: "empty" };

function paramValue(e: FilterExpr, cell: (column: string) => FilterCell): Value {
  switch (e.kind) {
    case "holder": {
      const c = cell(e.column);
      if (c.text === null || c.text === "") return { type: "empty" };
      if (c.type === "number" && c.text.trim() !== "" && Number.isFinite(Number(c.text)))
        return { type: "number", v: Number(c.text) };
      return { type: "string", v: c.text };
    }
    case "string":
      return { type: "string", v: e.value };
    case "number":
      return { type: "number", v: e.value };
    case "boolean":
      return { type: "boolean", v: e.value };
    default:
      return { type: "boolean", v: evaluateFilter(e, cell) };
  }
}

function truthy(v: Value): boolean {
  if (v.type === "boolean") return v.v;
  return v.type !== "empty";
}

function toNumber(v: Value): number | null {
  if (v.type === "number") return v.v;
  if (v.type === "string" && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v.v)) return Number(v.v);
  if (v.type === "boolean") return v.v ? 1 : 0;
  return null;
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  // An empty cell equals only the empty string; it is neither less nor greater than anything.
  if (a.type === "empty" || b.type === "empty") {
    const eq =
      (a.type === "empty" || (a.type === "string" && a.v === "")) ===
      (b.type === "empty" || (b.type === "string" && b.v === ""));
    if (op === "==") return eq;
    if (op === "!=") return !eq;
    return false;
  }
  let d: number;
  if (a.type === "number" || b.type === "number" || a.type === "boolean" || b.type === "boolean") {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x === null || y === null) return op === "!=";
    d = x - y;
  } else {
    const x = String(a.v);
    const y = String(b.v);
    d = x < y ? -1 : x > y ? 1 : 0;
  }
  switch (op) {
    case "==":
      return d === 0;
    case "!=":
      return d !== 0;
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
  }
}

/** Whether a line passes: `cell` gives the text of a column of that line. */
export function evaluateFilter(e: FilterExpr, cell: (column: string) => FilterCell): boolean {
  switch (e.kind) {
    case "not":
      return !evaluateFilter(e.expr, cell);
    case "and":
      return evaluateFilter(e.left, cell) && evaluateFilter(e.right, cell);
    case "or":
      return evaluateFilter(e.left, cell) || evaluateFilter(e.right, cell);
    case "compare":
      return compare(e.op, paramValue(e.left, cell), paramValue(e.right, cell));
    case "regex": {
      const v = paramValue(e.left, cell);
      const text = v.type === "empty" ? "" : String(v.v);
      return e.pattern.test(text) !== e.negate;
    }
    default:
      return truthy(paramValue(e, cell));
  }
}

/**
 * e-conomic's collection filter language: `field$op:value` joined by `$and:` / `$or:`, grouped with
 * parentheses; `$` escapes `$ ( ) * , [ ]` in values. `$and` binds tighter than `$or`.
 */

export type FilterOp = "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "like" | "in";

/** A `$like` pattern: literal text and unescaped `*` wildcards. */
export type LikePart = { text: string } | { wildcard: true };

export type FilterNode =
  | { type: "and" | "or"; nodes: FilterNode[] }
  | { type: "cond"; field: string[]; op: Exclude<FilterOp, "in" | "like">; value: string }
  | { type: "cond"; field: string[]; op: "like"; pattern: LikePart[] }
  | { type: "cond"; field: string[]; op: "in"; values: string[] };

export class FilterError extends Error {}

const ops: ReadonlySet<string> = new Set(["eq", "ne", "gt", "gte", "lt", "lte", "like", "in"]);
const escapable = new Set(["$", "(", ")", "*", ",", "[", "]"]);

export function parseFilter(input: string): FilterNode {
  const p = new Parser(input);
  const node = p.parseOr();
  if (!p.done) throw new FilterError(`Unexpected "${input.slice(p.pos)}" in filter.`);
  return node;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  get done(): boolean {
    return this.pos >= this.s.length;
  }

  private startsWith(token: string): boolean {
    return this.s.startsWith(token, this.pos);
  }

  parseOr(): FilterNode {
    const nodes = [this.parseAnd()];
    while (this.startsWith("$or:")) {
      this.pos += 4;
      nodes.push(this.parseAnd());
    }
    return nodes.length === 1 ? nodes[0]! : { type: "or", nodes };
  }

  private parseAnd(): FilterNode {
    const nodes = [this.parsePrimary()];
    while (this.startsWith("$and:")) {
      this.pos += 5;
      nodes.push(this.parsePrimary());
    }
    return nodes.length === 1 ? nodes[0]! : { type: "and", nodes };
  }

  private parsePrimary(): FilterNode {
    if (this.startsWith("(")) {
      this.pos++;
      const node = this.parseOr();
      if (!this.startsWith(")")) throw new FilterError("Missing ) in filter.");
      this.pos++;
      return node;
    }
    return this.parseCondition();
  }

  private parseCondition(): FilterNode {
    const match = /^([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\$([a-z]+):/.exec(
      this.s.slice(this.pos),
    );
    if (!match) throw new FilterError(`Expected field$operator:value at "${this.s.slice(this.pos)}".`);
    const [whole, fieldText, op] = match as unknown as [string, string, string];
    if (!ops.has(op)) throw new FilterError(`Unknown filter operator $${op}.`);
    this.pos += whole.length;
    const field = fieldText.split(".");
    if (op === "in") return { type: "cond", field, op, values: this.parseList() };
    const parts = this.parseValue(false);
    if (op === "like") return { type: "cond", field, op, pattern: parts };
    return { type: "cond", field, op: op as "eq", value: partsToText(parts) };
  }

  private parseList(): string[] {
    if (!this.startsWith("[")) throw new FilterError("$in expects a [list].");
    this.pos++;
    const values: string[] = [];
    for (;;) {
      values.push(partsToText(this.parseValue(true)));
      if (this.startsWith(",")) {
        this.pos++;
        continue;
      }
      if (this.startsWith("]")) {
        this.pos++;
        return values;
      }
      throw new FilterError("Missing ] in $in list.");
    }
  }

  /** Reads a value up to the next unescaped terminator; keeps unescaped `*` as a wildcard part. */
  private parseValue(inList: boolean): LikePart[] {
    const parts: LikePart[] = [];
    let text = "";
    while (!this.done) {
      const ch = this.s[this.pos]!;
      if (ch === "$") {
        const next = this.s[this.pos + 1];
        if (next !== undefined && escapable.has(next)) {
          text += next;
          this.pos += 2;
          continue;
        }
        if (this.startsWith("$and:") || this.startsWith("$or:")) break;
        throw new FilterError(`Unescaped $ in filter value at "${this.s.slice(this.pos)}".`);
      }
      if (ch === ")") break;
      if (inList && (ch === "," || ch === "]")) break;
      if (ch === "*") {
        if (text) parts.push({ text });
        text = "";
        parts.push({ wildcard: true });
      } else {
        text += ch;
      }
      this.pos++;
    }
    if (text) parts.push({ text });
    return parts;
  }
}

function partsToText(parts: LikePart[]): string {
  return parts.map((p) => ("text" in p ? p.text : "*")).join("");
}

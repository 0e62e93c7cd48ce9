import { type SQL, sql } from "drizzle-orm";
import type { FilterNode, LikePart } from "./filter";

const numeric = /^-?\d+(\.\d+)?$/;

/**
 * Compiles a filter to a condition on a jsonb column. Values compare numerically when both the
 * stored value and the filter value are numbers, as text otherwise; a missing boolean counts as
 * false because responses leave out false booleans.
 *
 * The result is always one bracketed expression, so a caller may join it with its own conditions
 * (`agreement and kind and (filter)`): `$or` and `$in` compile to `or`, which would otherwise bind
 * looser than the scope and leak other agreements' records.
 */
export function filterToSql(node: FilterNode, data: SQL): SQL {
  return sql`(${conditionOf(node, data)})`;
}

function conditionOf(node: FilterNode, data: SQL): SQL {
  if (node.type !== "cond") {
    const parts = node.nodes.map((n) => filterToSql(n, data));
    return sql.join(parts, node.type === "and" ? sql` and ` : sql` or `);
  }
  const path = `{${node.field.join(",")}}`;
  const json = sql`(${data} #> ${path}::text[])`;
  const text = sql`(${data} #>> ${path}::text[])`;
  switch (node.op) {
    case "eq":
      return equals(json, text, node.value);
    case "ne":
      return sql`not coalesce(${equals(json, text, node.value)}, false)`;
    case "in":
      if (node.values.length === 0) return sql`false`;
      return sql.join(
        node.values.map((v) => sql`(${equals(json, text, v)})`),
        sql` or `,
      );
    case "like":
      return sql`${text} ilike ${likePattern(node.pattern)} escape '\\'`;
    default: {
      const op = sql.raw({ gt: ">", gte: ">=", lt: "<", lte: "<=" }[node.op]);
      if (numeric.test(node.value)) {
        return sql`(case when jsonb_typeof(${json}) = 'number' then ${text}::numeric ${op} ${node.value}::numeric else false end)`;
      }
      return sql`${text} ${op} ${node.value}`;
    }
  }
}

function equals(json: SQL, text: SQL, value: string): SQL {
  if (value === "null") return sql`${text} is null`;
  if (value === "true" || value === "false") return sql`coalesce(${text}, 'false') = ${value}`;
  if (numeric.test(value)) {
    return sql`(case when jsonb_typeof(${json}) = 'number' then ${text}::numeric = ${value}::numeric else ${text} = ${value} end)`;
  }
  return sql`${text} = ${value}`;
}

/** A pattern without a wildcard matches as "contains" (unconfirmed: e-conomic documents only `*`). */
export function likePattern(parts: LikePart[]): string {
  const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const hasWildcard = parts.some((p) => "wildcard" in p);
  const body = parts.map((p) => ("text" in p ? escapeLike(p.text) : "%")).join("");
  return hasWildcard ? body : `%${body}%`;
}

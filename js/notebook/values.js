// JS values as the notebook's Python side receives them (JSON through the widget comm, or
// JSON text from the Pyodide worker).

/**
 * `value` with only JSON types: a BigInt becomes a number when it is exact, else its decimal
 * text; a Date its ISO text (UTC); NaN and ±Infinity null; typed arrays plain arrays.
 */
export function plainValue(value) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case "number":
      return Number.isFinite(value) ? value : null;
    case "string":
    case "boolean":
      return value;
    case "object":
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value, plainValue);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
    default:
      return null;
  }
}

const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A huntkit result object (not a data row) for Python: keys in snake_case, values plain. */
export function toPython(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [snake(k), plainValue(v)]));
}

/** JSON text of `value` (see `plainValue`). */
export function toJson(value) {
  return JSON.stringify(plainValue(value));
}

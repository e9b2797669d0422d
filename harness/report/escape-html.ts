/** Text and attribute values for HTML: the five characters that can end a text run or an attribute. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON safe to place inside a <script> element: `<` and `>` become \u escapes so no value can close
 * the element (`</script>`) or open a comment (`<!--`); U+2028/2029 for old parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

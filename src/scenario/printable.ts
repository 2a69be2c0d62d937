/**
 * Text from a file, made safe for a terminal: control characters (ESC, BEL, CR, …) become
 * visible escapes (`\x1b`, `\n`), so a hostile file cannot drive the terminal — colours or not.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

// PLACEHOLDER until the CLI (issue 3) lands.
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`clustersim: not implemented yet (${argv.slice(2).join(' ')})\n`);
  return 2;
}

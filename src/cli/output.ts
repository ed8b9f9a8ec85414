import chalk from 'chalk';

/** Colour only for a terminal, and never when NO_COLOR is set or --no-color is given (chalk 4 ignores NO_COLOR). */
export function configureColour(colourFlag: boolean | undefined): void {
  const wanted = colourFlag !== false && process.env.NO_COLOR === undefined && process.stdout.isTTY === true;
  if (!wanted) chalk.level = 0;
}

/** Writes a line to stdout. */
export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a line to stderr. */
export function err(text: string): void {
  process.stderr.write(`${text}\n`);
}

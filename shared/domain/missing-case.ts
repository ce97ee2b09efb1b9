/** For the `default:` branch of an exhaustive switch: a compile error when a case is missing. */
export function missingCase(value: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(value)}`);
}

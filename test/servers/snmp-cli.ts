/**
 * net-snmp's command-line tools as a reference for what an agent serves: runs `snmpbulkwalk` and
 * parses what it prints, to compare with what an SNMP client under test decodes.
 */
import { execFile } from 'node:child_process';
import type { Requirement } from './common';
import { pathOf, requireBinaries } from './common';

export const SNMP_CLI_REQUIREMENTS: readonly Requirement[] = [
  { binary: 'snmpbulkwalk', debianPackage: 'snmp' },
  { binary: 'snmpget', debianPackage: 'snmp' },
];

/** One line of `snmpbulkwalk -On -Oe` output, in a canonical form comparable across tools. */
export interface CliVarbind {
  /** Numeric OID without the leading dot. */
  readonly oid: string;
  /**
   * `octets:<hex>` for STRING, Hex-STRING and "" alike; `integer:<n>`, `counter32:<n>`,
   * `gauge32:<n>`, `timeticks:<n>`, `counter64:<n>`, `oid:<numeric>`, `ipaddress:<a.b.c.d>`,
   * `null`; anything else `other:<type>:<text>`.
   */
  readonly value: string;
}

/**
 * `snmpbulkwalk -v2c -c <community> -On -Oe <host>:<port> <oid>`, parsed. MIBS is emptied so
 * that no MIB display hint changes how values are printed.
 */
export async function snmpBulkWalk(
  host: string,
  port: number,
  community: string,
  oid: string,
): Promise<CliVarbind[]> {
  const binary = pathOf(requireBinaries(SNMP_CLI_REQUIREMENTS), 'snmpbulkwalk');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      binary,
      ['-v2c', '-c', community, '-On', '-Oe', '-t', '5', '-r', '0', `${host}:${port}`, oid],
      { env: { ...process.env, MIBS: '' }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000, encoding: 'latin1' },
      (err, out, errOut) => {
        if (err !== null) reject(new Error(`snmpbulkwalk failed: ${err.message}\n${errOut}`, { cause: err }));
        else resolve(out);
      },
    );
  });
  return parseSnmpWalkOutput(stdout);
}

const ENTRY_START = /^\.?(\d+(?:\.\d+)*) = /;
const END_MARKERS = [
  'No more variables left in this MIB View',
  'No Such Object available on this agent at this OID',
  'No Such Instance currently exists at this OID',
];

/**
 * Parses net-snmp's `-On` output. Quoted strings may span lines (and contain CR), Hex-STRING
 * wraps every 16 octets; entries start with `.<oid> = ` at the beginning of a line. The end and
 * exception lines net-snmp prints instead of a value are dropped.
 */
export function parseSnmpWalkOutput(output: string): CliVarbind[] {
  const result: CliVarbind[] = [];
  const lines = output.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const start = ENTRY_START.exec(line);
    if (start === null) {
      if (line.trim() !== '')
        throw new Error(`unexpected snmpbulkwalk line ${i + 1}: ${JSON.stringify(line)}`);
      i++;
      continue;
    }
    const oid = start[1] ?? '';
    let rest = line.slice(start[0].length);
    i++;
    if (END_MARKERS.some((m) => rest.startsWith(m))) continue;
    if (rest.startsWith('"') || rest.startsWith('STRING: "')) {
      // A quoted string: read on (across lines) to the closing unescaped quote.
      let text = rest.slice(rest.indexOf('"') + 1);
      for (;;) {
        const close = closingQuote(text);
        if (close >= 0) {
          if (text.slice(close + 1).trim() !== '') throw new Error(`text after a string at ${oid}`);
          result.push({
            oid,
            value: `octets:${Buffer.from(unescape(text.slice(0, close)), 'latin1').toString('hex')}`,
          });
          break;
        }
        if (i >= lines.length) throw new Error(`unterminated string at ${oid}`);
        text += `\n${lines[i] ?? ''}`;
        i++;
      }
      continue;
    }
    if (rest.startsWith('Hex-STRING: ')) {
      while (i < lines.length && /^[0-9A-F]{2}( [0-9A-F]{2})* ?\r?$/.test(lines[i] ?? '')) {
        rest += ` ${lines[i] ?? ''}`;
        i++;
      }
    }
    result.push({ oid, value: canonical(rest) });
  }
  return result;
}

function closingQuote(text: string): number {
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '"') return k;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}

function canonical(typed: string): string {
  const colon = typed.indexOf(': ');
  const type = colon < 0 ? typed.trim() : typed.slice(0, colon);
  const text = colon < 0 ? '' : typed.slice(colon + 2).trim();
  switch (type) {
    case 'Hex-STRING':
      return `octets:${text.replace(/\s+/g, '').toLowerCase()}`;
    case 'INTEGER':
      return `integer:${text}`;
    case 'Counter32':
      return `counter32:${text}`;
    case 'Gauge32':
      return `gauge32:${text}`;
    case 'Counter64':
      return `counter64:${text}`;
    case 'Timeticks':
      return `timeticks:${/^\((\d+)\)/.exec(text)?.[1] ?? text}`;
    case 'OID':
      return `oid:${text.replace(/^\./, '')}`;
    case 'IpAddress':
      return `ipaddress:${text}`;
    case 'NULL':
      return 'null';
    default:
      return `other:${type}:${text}`;
  }
}

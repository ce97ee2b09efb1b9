import { describe, expect, it } from 'vitest';
import { parseSnmpWalkOutput } from './snmp-cli';

// Output shapes recorded from net-snmp 5.9 snmpbulkwalk -On -Oe against snmpd and snmpsim.
const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

describe('parseSnmpWalkOutput', () => {
  it('reads one-line values of every type in canonical form', () => {
    const output = [
      '.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.9.1.516',
      '.1.3.6.1.2.1.1.3.0 = Timeticks: (697202257) 80 days, 16:40:22.57',
      '.1.3.6.1.2.1.1.4.0 = ""',
      '.1.3.6.1.2.1.1.5.0 = STRING: "Profiler3750"',
      '.1.3.6.1.2.1.1.7.0 = INTEGER: 6',
      '.1.3.6.1.2.1.2.2.1.10.1 = Counter32: 4294967295',
      '.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 10000000',
      '.1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615',
      '.1.3.6.1.2.1.4.20.1.1.127.0.0.1 = IpAddress: 127.0.0.1',
      '.1.3.6.1.2.1.2.2.1.22.1 = OID: .0.0',
      '',
    ].join('\n');
    expect(parseSnmpWalkOutput(output)).toEqual([
      { oid: '1.3.6.1.2.1.1.2.0', value: 'oid:1.3.6.1.4.1.9.1.516' },
      { oid: '1.3.6.1.2.1.1.3.0', value: 'timeticks:697202257' },
      { oid: '1.3.6.1.2.1.1.4.0', value: 'octets:' },
      { oid: '1.3.6.1.2.1.1.5.0', value: `octets:${hex('Profiler3750')}` },
      { oid: '1.3.6.1.2.1.1.7.0', value: 'integer:6' },
      { oid: '1.3.6.1.2.1.2.2.1.10.1', value: 'counter32:4294967295' },
      { oid: '1.3.6.1.2.1.2.2.1.5.1', value: 'gauge32:10000000' },
      { oid: '1.3.6.1.2.1.31.1.1.1.6.1', value: 'counter64:18446744073709551615' },
      { oid: '1.3.6.1.2.1.4.20.1.1.127.0.0.1', value: 'ipaddress:127.0.0.1' },
      { oid: '1.3.6.1.2.1.2.2.1.22.1', value: 'oid:0.0' },
    ]);
  });

  it('reads quoted strings across lines, with CR and escaped quotes', () => {
    const output =
      '.1.3.6.1.2.1.1.1.0 = STRING: "Cisco IOS Software\r\nTechnical Support: \\"http\\"\r\nCompiled"\n' +
      '.1.3.6.1.2.1.1.9.1.3.1 = STRING: "\n        Agent capabilities\n        File name: sys        "\n';
    expect(parseSnmpWalkOutput(output)).toEqual([
      {
        oid: '1.3.6.1.2.1.1.1.0',
        value: `octets:${hex('Cisco IOS Software\r\nTechnical Support: "http"\r\nCompiled')}`,
      },
      {
        oid: '1.3.6.1.2.1.1.9.1.3.1',
        value: `octets:${hex('\n        Agent capabilities\n        File name: sys        ')}`,
      },
    ]);
  });

  it('joins Hex-STRING values wrapped over several lines', () => {
    const output =
      '.1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 12 79 62 F9 40 \n' +
      '.1.3.6.1.4.1.9.9.1 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n' +
      '10 11 \n' +
      '.1.3.6.1.4.1.9.9.2 = INTEGER: 1\n';
    expect(parseSnmpWalkOutput(output)).toEqual([
      { oid: '1.3.6.1.2.1.2.2.1.6.2', value: 'octets:00127962f940' },
      { oid: '1.3.6.1.4.1.9.9.1', value: 'octets:000102030405060708090a0b0c0d0e0f1011' },
      { oid: '1.3.6.1.4.1.9.9.2', value: 'integer:1' },
    ]);
  });

  it('drops the end-of-view line and refuses lines it does not understand', () => {
    expect(
      parseSnmpWalkOutput(
        '.1.3.6.1.2.1.1.7.0 = INTEGER: 6\n.1.3.6.1.2.1.1.7.0 = No more variables left in this MIB View (It is past the end of the MIB tree)\n',
      ),
    ).toEqual([{ oid: '1.3.6.1.2.1.1.7.0', value: 'integer:6' }]);
    expect(() => parseSnmpWalkOutput('Timeout: No Response from 127.0.0.1:161\n')).toThrow(/unexpected/);
  });
});

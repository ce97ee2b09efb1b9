import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { UdpSocketPool } from './udp-socket-pool';

/** A UDP server that answers every datagram with `${name}:` + the datagram. */
async function echo(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    socket.send(Buffer.concat([Buffer.from(`${name}:`), msg]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function nextMessage(socket: ReturnType<UdpSocketPool['dgramModule']['createSocket']>): Promise<string> {
  return new Promise((resolve) => socket.on('message', (msg: Buffer) => resolve(msg.toString())));
}

describe('UdpSocketPool', () => {
  it('opens at most maxSockets real sockets and routes each answer to the session that asked', async () => {
    const servers = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => echo(n)));
    const pool = new UdpSocketPool(2);
    try {
      const sessions = servers.map(() => pool.dgramModule.createSocket('udp4'));
      expect(pool.stats()).toMatchObject({ sockets: 2, sessions: 6 });
      const answers = sessions.map((s) => nextMessage(s));
      sessions.forEach((s, i) => {
        const server = servers[i];
        if (!server) throw new Error('no server');
        s.send(Buffer.from(`ping${i}`), 0, 5, server.port, '127.0.0.1');
      });
      expect(await Promise.all(answers)).toEqual([
        'a:ping0',
        'b:ping1',
        'c:ping2',
        'd:ping3',
        'e:ping4',
        'f:ping5',
      ]);
      for (const s of sessions) s.close();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(pool.stats()).toMatchObject({ sockets: 0, sessions: 0 });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('refuses a bound or a closed virtual socket in the way dgram does', () => {
    const pool = new UdpSocketPool(1);
    const s = pool.dgramModule.createSocket('udp4');
    expect(() => s.bind()).toThrow(/cannot bind/);
    s.close();
    expect(() => s.close()).toThrow(/Not running/);
    expect(() => new UdpSocketPool(0)).toThrow(RangeError);
    expect(() => pool.dgramModule.createSocket('udp6')).toThrow(/udp4/);
  });
});

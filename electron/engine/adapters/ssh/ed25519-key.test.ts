import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { newEd25519KeyPair } from './ed25519-key';

describe('newEd25519KeyPair', () => {
  it('only hands out keys that ssh2 itself can parse (its generator sometimes cannot)', () => {
    for (let i = 0; i < 500; i++) {
      const key = ssh2.utils.parseKey(newEd25519KeyPair().private);
      expect(key instanceof Error ? key.message : key.type).toBe('ssh-ed25519');
    }
  });
});

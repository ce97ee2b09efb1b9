/**
 * New ed25519 key pairs in OpenSSH format. ssh2's generator drops a leading zero octet of the
 * public key (about one key in 128 comes out 31 octets long) and its own parser then refuses the
 * key: such a pair is simply drawn again.
 */
import ssh2 from 'ssh2';

export function newEd25519KeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 64; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const key = ssh2.utils.parseKey(pair.private);
    if (!(key instanceof Error) && key.isPrivateKey()) return { private: pair.private, public: pair.public };
  }
  throw new Error('no usable ed25519 key pair could be generated');
}

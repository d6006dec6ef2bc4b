package dev.portcullis.bastion.internal;

import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

/** The algorithms the bastion offers on every hop. */
final class Crypto {
  private Crypto() {}

  /**
   * AES-GCM only: OpenSSH clients take the first of THEIR list that the server offers, which would be
   * ChaCha20-Poly1305 and then AES-CTR with a separate HMAC; MINA's ChaCha20 is plain Java, and CTR needs a second
   * pass for the MAC, while the JDK's AES-GCM runs on AES-NI and CLMUL in one. Every session's bytes are decrypted
   * and encrypted again here, so this decides the bastion's throughput. OpenSSH has spoken AES-GCM since 6.2.
   */
  static List<NamedFactory<Cipher>> ciphers() {
    return List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm);
  }

  /**
   * Key exchanges the bastion asks nodes for: post-quantum ML-KEM hybrid where the node's OpenSSH has it (9.9+),
   * else X25519. Not sntrup761: MINA runs it on Bouncy Castle's plain-Java Streamlined NTRU Prime, whose key
   * generation took three quarters of the bastion's CPU per new session when measured (bench/bastion-vs-sshd.sh).
   * Clients choose what they get from the bastion's listeners, which keep MINA's full list, sntrup761 included:
   * there the bastion only encapsulates, the cheap half.
   */
  static List<KeyExchangeFactory> nodeKeyExchanges() {
    return NamedFactory.setUpTransformedFactories(true, List.of(BuiltinDHFactories.mlkem768x25519,
        BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp256,
        BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521), ClientBuilder.DH2KEX);
  }
}

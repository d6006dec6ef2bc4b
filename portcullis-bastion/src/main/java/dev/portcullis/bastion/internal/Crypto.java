package dev.portcullis.bastion.internal;

import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

/** The algorithms the bastion offers on every hop. */
final class Crypto {
  private Crypto() {}

  /**
   * AES-GCM first and no ChaCha20: OpenSSH clients take the first of THEIR list that the server offers, which would
   * be ChaCha20-Poly1305, and MINA's ChaCha20 is plain Java while the JDK's AES-GCM runs on AES-NI. Every
   * session's bytes are decrypted and encrypted again here, so this decides the bastion's throughput.
   */
  static List<NamedFactory<Cipher>> ciphers() {
    return List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
        BuiltinCiphers.aes256ctr);
  }
}

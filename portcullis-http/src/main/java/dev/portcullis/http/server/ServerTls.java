package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** The listener's certificate chain (leaf first) and private key; TLS 1.2+ with ALPN {@code h2}, {@code http/1.1}. */
public record ServerTls(List<X509Certificate> certificateChain, PrivateKey privateKey) {

  public ServerTls {
    certificateChain = List.copyOf(requireNonNull(certificateChain, "certificateChain"));
    if (certificateChain.isEmpty()) {
      throw new IllegalArgumentException("certificateChain: empty (expected: the leaf certificate first)");
    }
    requireNonNull(privateKey, "privateKey");
  }

  /** Reads a PEM certificate chain and a PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}). */
  public static ServerTls fromPemFiles(Path certificateChain, Path privateKey) throws IOException {
    return new ServerTls(UpstreamOptions.readCertificates(certificateChain), readPkcs8Key(privateKey));
  }

  @Override
  public String toString() {
    return "ServerTls[subject=" + certificateChain.getFirst().getSubjectX500Principal().getName() + "]";
  }

  private static PrivateKey readPkcs8Key(Path file) throws IOException {
    String pem;
    try (InputStream in = Files.newInputStream(file)) {
      pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(file + ": no PKCS#8 key (expected: -----BEGIN PRIVATE KEY-----)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException e) {
        // not this algorithm; try the next one
      }
    }
    throw new IOException(file + ": unsupported private key (expected: EC, RSA or Ed25519 PKCS#8)");
  }
}

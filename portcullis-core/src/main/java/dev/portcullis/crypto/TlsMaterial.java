package dev.portcullis.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A TLS certificate chain and its private key: loaded from PEM files, or generated self-signed for the
 * demo and tests.
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey privateKey) {

  public TlsMaterial {
    chain = List.copyOf(chain);
    requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: at least the leaf certificate)");
    }
  }

  public X509Certificate leaf() {
    return chain.getFirst();
  }

  /**
   * A self-signed ECDSA P-256 server certificate for the given names (DNS names, or IP literals),
   * valid from one hour ago for the given lifetime.
   */
  public static TlsMaterial selfSigned(
      List<String> names, Duration lifetime, InstantSource clock, SecureRandom random) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("names: empty (expected: at least one DNS name or IP)");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair keyPair = generator.generateKeyPair();
      Instant now = clock.instant();
      X500Name subject = new X500Name("CN=" + names.getFirst() + ",O=Portcullis self-signed");
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, random).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(lifetime)),
              subject,
              keyPair.getPublic());
      List<GeneralName> altNames = new ArrayList<>();
      for (String name : names) {
        altNames.add(isIpLiteral(name)
            ? new GeneralName(GeneralName.iPAddress, name)
            : new GeneralName(GeneralName.dNSName, name));
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
      return new TlsMaterial(List.of(certificate), keyPair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate", e);
    }
  }

  /** Reads a PEM certificate chain (leaf first) and a PEM private key (PKCS#8 or traditional). */
  public static TlsMaterial readPem(Path certificateFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = readCertificates(certificateFile);
    try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey key =
          switch (object) {
            case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
            case PrivateKeyInfo info -> converter.getPrivateKey(info);
            case null, default -> throw new IOException(keyFile + ": no PEM private key found (expected: PKCS#8 or EC/RSA PRIVATE KEY)");
          };
      return new TlsMaterial(chain, key);
    }
  }

  /** Reads every PEM certificate in the file, in order. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IOException(file + ": no PEM certificate found");
      }
      return certificates;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** Writes the chain and key as PEM; the key file is readable by its owner only. */
  public void writePem(Path certificateFile, Path keyFile) throws IOException {
    Files.createDirectories(certificateFile.toAbsolutePath().getParent());
    Files.writeString(certificateFile, toPem(chain.toArray()), StandardCharsets.US_ASCII);
    Files.deleteIfExists(keyFile);
    try {
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(keyFile);
    }
    // PKCS#8 keeps the curve with the key; the SEC1 form written for a JDK key lacked it, and neither
    // OpenSSL nor readPem could load that file again.
    Files.writeString(keyFile, toPem(new JcaPKCS8Generator(privateKey, null)), StandardCharsets.US_ASCII);
  }

  private static String toPem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    }
    return out.toString();
  }

  private static boolean isIpLiteral(String name) {
    if (!name.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.ofLiteral(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

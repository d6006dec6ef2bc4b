package dev.portcullis.server;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.crypto.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's certificate: the configured PEM files, or else a self-signed one kept in the data
 * directory, regenerated when it nears expiry or when the configured host names change.
 */
final class ServerTlsMaterial {
  private static final Logger log = LoggerFactory.getLogger(ServerTlsMaterial.class);
  private static final Duration SELF_SIGNED_LIFETIME = Duration.ofDays(90);
  private static final Duration RENEW_BEFORE = Duration.ofDays(7);

  private ServerTlsMaterial() {}

  static TlsMaterial load(PortcullisConfig config, InstantSource clock, SecureRandom random) throws IOException {
    if (config.server().tls().isPresent()) {
      var tls = config.server().tls().get();
      return TlsMaterial.readPem(tls.certFile(), tls.keyFile());
    }
    Path dir = config.server().dataDir().resolve("tls");
    Path cert = dir.resolve("self-signed.crt");
    Path key = dir.resolve("self-signed.key");
    List<String> names = names(config);
    if (Files.exists(cert) && Files.exists(key)) {
      TlsMaterial existing = TlsMaterial.readPem(cert, key);
      if (covers(existing.leaf(), names)
          && existing.leaf().getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))) {
        return existing;
      }
    }
    log.info("generating a self-signed certificate for {} in {}", names, dir);
    TlsMaterial generated = TlsMaterial.selfSigned(names, SELF_SIGNED_LIFETIME, clock, random);
    generated.writePem(cert, key);
    return generated;
  }

  private static List<String> names(PortcullisConfig config) {
    Set<String> names = new LinkedHashSet<>();
    names.add(config.server().publicUrl().getHost());
    for (AppConfig app : config.apps()) {
      names.add(app.host());
    }
    names.add("localhost");
    names.add("127.0.0.1");
    return new ArrayList<>(names);
  }

  private static boolean covers(X509Certificate certificate, List<String> names) {
    try {
      Collection<List<?>> altNames = certificate.getSubjectAlternativeNames();
      Set<String> present = new HashSet<>();
      if (altNames != null) {
        altNames.forEach(entry -> present.add(String.valueOf(entry.get(1))));
      }
      return present.containsAll(names);
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}

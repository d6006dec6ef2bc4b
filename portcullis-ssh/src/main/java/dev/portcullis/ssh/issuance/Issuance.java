package dev.portcullis.ssh.issuance;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.policy.Reason;
import dev.portcullis.ssh.ca.UserExtension;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outcome of one certificate request: {@link Issued} or {@link Refused}, each carrying what its audit
 * event needs ({@link #auditCode()}, {@link #auditReasons()}, {@link #auditDetails()}). The issuer records
 * nothing itself; the caller writes the event, so that every issuance is audited exactly once.
 */
public sealed interface Issuance permits Issuance.Issued, Issuance.Refused {

  /** What audit events name as the resource of every issuance. */
  String AUDIT_RESOURCE = "ca:ssh-user";

  /** The Portcullis user name. */
  String user();

  /** The user's identity provider. */
  String provider();

  /** The fingerprint of the key the user asked to certify ({@code SHA256:...}). */
  String publicKeyFingerprint();

  /** Why, in order: role mappings, logins granted, denied and dropped, and for a refusal the refusing reason. */
  List<Reason> reasons();

  default boolean issued() {
    return this instanceof Issued;
  }

  /** {@link AuditCode#CERTIFICATE_ISSUED} or {@link AuditCode#CERTIFICATE_REFUSED}. */
  default AuditCode auditCode() {
    return issued() ? AuditCode.CERTIFICATE_ISSUED : AuditCode.CERTIFICATE_REFUSED;
  }

  /** The reasons as audit events store them, {@code code: detail}. */
  default List<String> auditReasons() {
    return reasons().stream().map(Reason::toString).toList();
  }

  /** The facts of the event; never the certificate's signature or anything secret. */
  Map<String, String> auditDetails();

  /**
   * A certificate was signed.
   *
   * @param user the Portcullis user name
   * @param provider the user's identity provider
   * @param certificate the certificate as one {@code *-cert.pub} line
   * @param keyId the certificate's KeyId, {@link SshKeyId} encoded
   * @param principals the logins it allows, sorted
   * @param roles the user's roles, sorted
   * @param extensions the extensions granted besides {@code permit-pty}, which every certificate has
   * @param serial the serial; OpenSSH prints it unsigned
   * @param validAfter the start, one minute before issuing
   * @param validBefore the end
   * @param caFingerprint the CA key that signed it
   * @param publicKeyFingerprint the certified key
   * @param reasons the mappings and logins behind the principals
   */
  record Issued(
      String user,
      String provider,
      String certificate,
      String keyId,
      List<String> principals,
      List<String> roles,
      Set<UserExtension> extensions,
      long serial,
      Instant validAfter,
      Instant validBefore,
      String caFingerprint,
      String publicKeyFingerprint,
      List<Reason> reasons) implements Issuance {

    public Issued {
      requireNonNull(user, "user");
      requireNonNull(provider, "provider");
      requireNonNull(certificate, "certificate");
      requireNonNull(keyId, "keyId");
      principals = List.copyOf(principals);
      roles = List.copyOf(roles);
      extensions = Collections.unmodifiableSet(extensions.isEmpty()
          ? EnumSet.noneOf(UserExtension.class) : EnumSet.copyOf(extensions));
      requireNonNull(validAfter, "validAfter");
      requireNonNull(validBefore, "validBefore");
      requireNonNull(caFingerprint, "caFingerprint");
      requireNonNull(publicKeyFingerprint, "publicKeyFingerprint");
      reasons = List.copyOf(reasons);
    }

    /** The serial as OpenSSH and sshd's logs print it. */
    public String serialText() {
      return Long.toUnsignedString(serial);
    }

    @Override
    public Map<String, String> auditDetails() {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("key_id", keyId);
      details.put("serial", serialText());
      details.put("principals", String.join(",", principals));
      details.put("roles", String.join(",", roles));
      details.put("extensions", extensions.stream().map(UserExtension::wireName).collect(Collectors.joining(",")));
      details.put("valid_after", validAfter.toString());
      details.put("valid_before", validBefore.toString());
      details.put("ca_fingerprint", caFingerprint);
      details.put("public_key_fingerprint", publicKeyFingerprint);
      return Collections.unmodifiableMap(details);
    }
  }

  /**
   * No certificate: the user is locked, has no logins, or cannot be named in one. The last reason is the
   * refusing one; its code is one of the constants here.
   */
  record Refused(String user, String provider, String publicKeyFingerprint, List<Reason> reasons)
      implements Issuance {
    /** A lock applies to the user or one of their roles. */
    public static final String USER_LOCKED = "user-locked";
    /** The user's roles give no valid login (see {@link Reason#NO_LOGINS}). */
    public static final String NO_LOGINS = Reason.NO_LOGINS;
    /** More logins than one certificate may carry. */
    public static final String TOO_MANY_LOGINS = "too-many-logins";
    /** The user and provider names do not fit in a KeyId. */
    public static final String KEY_ID_TOO_LONG = "key-id-too-long";

    public Refused {
      requireNonNull(user, "user");
      requireNonNull(provider, "provider");
      requireNonNull(publicKeyFingerprint, "publicKeyFingerprint");
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("reasons: [] (expected: at least the refusing reason)");
      }
    }

    /** Why, as a stable code, such as {@value #NO_LOGINS}. */
    public String code() {
      return reasons.getLast().code();
    }

    /** Why, for people. */
    public String detail() {
      return reasons.getLast().detail();
    }

    @Override
    public Map<String, String> auditDetails() {
      return Map.of("refused", code(), "public_key_fingerprint", publicKeyFingerprint);
    }
  }
}

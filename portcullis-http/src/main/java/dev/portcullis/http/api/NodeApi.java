package dev.portcullis.http.api;

import dev.portcullis.ssh.users.CurrentUsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditCode;
import dev.portcullis.http.api.ApiJson.ApiError;
import dev.portcullis.http.auth.GateServices;
import dev.portcullis.http.auth.GateSnapshot;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Forms;
import dev.portcullis.identity.Identity;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshPublicKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node agent's calls: join with a one-time token, heartbeat for the accounts to provision, and the
 * per-login principals check behind sshd's AuthorizedPrincipalsCommand. Every answer reflects the
 * current roles and locks; nothing a node is told is cached here.
 */
final class NodeApi {
  private final GateServices services;
  private final SshServices ssh;
  private final HostCertificates hostCertificates;

  NodeApi(GateServices services, SshServices ssh) {
    this.services = services;
    this.ssh = ssh;
    this.hostCertificates = new HostCertificates(ssh.hostCa(), services.store(), services.clock());
  }

  SimpleResponse join(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    JsonNode json = ApiJson.parse(body);
    String name = ApiJson.text(json, "name", 63);
    if (!NodeRecord.NAME.matcher(name).matches()) {
      throw new ApiError(400, "invalid-field", "name: expected 1-63 characters a-z, 0-9, '.', '-'");
    }
    Map<String, String> labels = ApiJson.labels(json, "labels");
    String address = ApiJson.text(json, "address", 255);
    String host = hostOf(address);
    String hostKey = ApiJson.text(json, "host_public_key", 16 * 1024);
    String token = ApiJson.text(json, "token", 64);
    if (ssh.joinTokens().redeem(token).isEmpty()) {
      services.audit().event(AuditCode.NODE_JOIN_FAILED).resource("node:" + name)
          .clientAddress(request.clientAddress().getHostAddress()).reasons(List.of("invalid-token")).record();
      throw new ApiError(401, "invalid-token", "token: unknown, already used, or expired; ask an admin for a new one");
    }
    IssuedCertificate certificate;
    try {
      List<String> principals = host.equals(name) ? List.of(name) : List.of(name, host);
      certificate = hostCertificates.issue(name, hostKey, principals);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "invalid-field", "host_public_key or address: " + e.getMessage());
    }
    String credential = name + "." + randomSecret();
    Instant now = services.clock().instant();
    ssh.nodes().register(new NodeRecord(name, labels, address,
        SshPublicKeys.fingerprint(SshPublicKeys.parse(hostKey)), sha256(credential), now, now));
    services.audit().event(AuditCode.NODE_JOINED).resource("node:" + name)
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("address", address, "labels", new TreeMap<>(labels).toString())).record();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("credential", credential);
    out.put("host_certificate", certificate.line());
    out.put("host_certificate_valid_before", certificate.validBefore().toString());
    out.put("ssh_user_ca", ssh.userCa().trustedPublicKeys());
    return ApiJson.ok(out);
  }

  SimpleResponse heartbeat(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    NodeRecord node = authenticatedNode(request);
    Map<String, String> labels = ApiJson.labels(ApiJson.parse(body), "labels");
    NodeRecord seen = ssh.nodes().heartbeat(node.name(), labels)
        .orElseThrow(() -> new ApiError(401, "unknown-node", "this node is no longer enrolled; join again"));
    NodeResource resource = new NodeResource(seen.name(), seen.labels());
    PolicySnapshot policy = snapshot.policy().snapshot();
    Map<String, Boolean> accounts = new TreeMap<>();
    for (Identity remembered : ssh.sshUsers().all()) {
      Optional<Identity> identity = CurrentUsers.current(remembered, snapshot.config());
      if (identity.isEmpty()) {
        continue;
      }
      for (String login : ssh.nodePrincipals().principalsFor(identity.get(), resource, policy)) {
        accounts.merge(login, policy.sudoFor(identity.get(), resource, login), Boolean::logicalOr);
      }
    }
    List<Map<String, Object>> list = new ArrayList<>();
    accounts.forEach((login, sudo) -> {
      // Fields in a fixed order: Map.of iterates in an order that changes from one JVM run to the next.
      Map<String, Object> account = new LinkedHashMap<>();
      account.put("login", login);
      account.put("sudo", sudo);
      list.add(account);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accounts", list);
    out.put("ssh_user_ca", ssh.userCa().trustedPublicKeys());
    Optional<IssuedCertificate> renewed = hostCertificates.renewIfDue(seen);
    renewed.ifPresent(certificate -> services.audit().event(AuditCode.CERTIFICATE_ISSUED).resource("node:" + seen.name())
        .clientAddress(request.clientAddress().getHostAddress()).reasons(List.of("host-certificate-renewal"))
        .details(Map.of("serial", Long.toUnsignedString(certificate.serial()),
            "valid_before", certificate.validBefore().toString())).record());
    out.put("host_certificate", renewed.map(IssuedCertificate::line).orElse(null));
    return ApiJson.ok(out);
  }

  /** Plain text for sshd: the login itself when the certificate's user may use it here now, else nothing. */
  SimpleResponse principals(ClientRequest request, GateSnapshot snapshot) {
    NodeRecord node = authenticatedNode(request);
    Map<String, String> query = Forms.parse(request.rawQuery());
    String login = query.getOrDefault("login", "");
    boolean allowed = ssh.nodeLogins().allows(query.getOrDefault("key_id", ""), login,
        new NodeResource(node.name(), node.labels()), snapshot.policy().snapshot());
    return SimpleResponse.text(200, allowed ? login + "\n" : "");
  }

  /** The node whose credential ({@code name.secret}) the request carries; compared by hash in constant time. */
  private NodeRecord authenticatedNode(ClientRequest request) {
    String header = request.header("authorization").orElse("");
    String credential = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    int dot = credential.indexOf('.');
    Optional<NodeRecord> node = dot > 0 ? ssh.nodes().find(credential.substring(0, dot)) : Optional.empty();
    if (node.isEmpty() || !MessageDigest.isEqual(sha256(credential).getBytes(StandardCharsets.US_ASCII),
        node.get().credentialHash().getBytes(StandardCharsets.US_ASCII))) {
      throw new ApiError(401, "unauthenticated", "a valid node credential is required: Authorization: Bearer <credential>");
    }
    return node.get();
  }

  private static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    String host = (colon > 0 ? address.substring(0, colon) : address).toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}") || host.isEmpty()) {
      throw new ApiError(400, "invalid-field", "address: expected host:port where sshd listens");
    }
    return host;
  }

  private String randomSecret() {
    byte[] bytes = new byte[32];
    services.random().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}

package dev.portcullis.http.api;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.ArrayList;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.nodes.NodeRecord;

import dev.portcullis.ssh.users.CurrentUsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditCode;
import dev.portcullis.config.LocalProviderConfig;
import dev.portcullis.http.api.ApiJson.ApiError;
import dev.portcullis.http.auth.GateServices;
import dev.portcullis.http.auth.GateSnapshot;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.identity.Identity;
import dev.portcullis.localauth.LocalAuthenticator;
import dev.portcullis.policy.SshGrant;
import dev.portcullis.session.CliCodes;
import dev.portcullis.session.Session;
import dev.portcullis.session.SessionRefs;
import dev.portcullis.session.SessionTokens;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.issuance.Issuance;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command line's calls: sign in (password or browser code), who am I, SSH certificates, sign out. */
final class UserApi {
  /** Bearer tokens are session handles signed for this pseudo-host, so a web cookie is never a token. */
  static final String TOKEN_AUDIENCE = "api";

  private final GateServices services;
  private final SshServices ssh;
  private final CliCodes cliCodes;

  UserApi(GateServices services, SshServices ssh) {
    this.services = services;
    this.ssh = ssh;
    this.cliCodes = new CliCodes(services.store(), services.clock(), services.random());
  }

  SimpleResponse loginLocal(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    JsonNode json = ApiJson.parse(body);
    LocalProviderConfig provider = localProvider(snapshot, ApiJson.optionalText(json, "provider", 32));
    String username = ApiJson.text(json, "username", 64);
    String password = ApiJson.text(json, "password", 1024);
    String totp = ApiJson.optionalText(json, "totp", 16).orElse(null);
    return switch (services.localAuthenticator().authenticate(provider, username, password.toCharArray(), totp)) {
      case LocalAuthenticator.Result.Success success -> signIn(request, snapshot, success.identity(), "password");
      case LocalAuthenticator.Result.Failure failure -> {
        services.audit().event(AuditCode.LOGIN_FAILED).user(username).provider(provider.name())
            .clientAddress(request.clientAddress().getHostAddress()).reasons(List.of(failure.reason()))
            .details(Map.of("via", "api")).record();
        throw new ApiError(401, failure.reason(), switch (failure.reason()) {
          case "totp-required" -> "a one-time code is required: pass totp";
          case "throttled" -> "too many failed attempts; wait a few minutes";
          default -> "wrong user name, password or one-time code";
        });
      }
    };
  }

  SimpleResponse cliToken(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    JsonNode json = ApiJson.parse(body);
    Optional<Session> browser = cliCodes.redeem(ApiJson.text(json, "code", 64), ApiJson.text(json, "verifier", 128))
        .flatMap(services.sessions()::find);
    if (browser.isEmpty()) {
      throw new ApiError(400, "invalid-code", "code: unknown, used, expired, or the verifier does not match");
    }
    return signIn(request, snapshot, browser.get().identity(), "browser");
  }

  SimpleResponse whoami(ClientRequest request, GateSnapshot snapshot) {
    Caller caller = authenticated(request, snapshot);
    Session session = caller.session();
    Identity identity = caller.identity();
    SshGrant grant = snapshot.policy().snapshot().sshGrant(identity);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", identity.username());
    body.put("provider", identity.provider());
    body.put("email", identity.email());
    body.put("groups", identity.groups());
    body.put("roles", grant.roles());
    body.put("logins", grant.logins());
    body.put("expires_at", session.absoluteExpiry().toString());
    return ApiJson.ok(body);
  }

  SimpleResponse sshCertificate(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    Identity identity = authenticated(request, snapshot).identity();
    PublicKey key;
    try {
      key = SshPublicKeys.parse(ApiJson.text(ApiJson.parse(body), "public_key", 16 * 1024));
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "invalid-field", "public_key: " + e.getMessage());
    }
    Issuance issuance;
    try {
      issuance = ssh.issuer().issue(identity, key, snapshot.policy().snapshot(), Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "invalid-field", "public_key: " + e.getMessage());
    }
    services.audit().event(issuance.auditCode()).user(identity.username())
        .provider(identity.provider()).resource(Issuance.AUDIT_RESOURCE).reasons(issuance.auditReasons())
        .clientAddress(request.clientAddress().getHostAddress()).details(issuance.auditDetails()).record();
    return switch (issuance) {
      case Issuance.Issued issued -> {
        ssh.sshUsers().remember(identity, issued.validBefore());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certificate", issued.certificate());
        out.put("principals", issued.principals());
        out.put("valid_after", issued.validAfter().toString());
        out.put("valid_before", issued.validBefore().toString());
        out.put("key_id", issued.keyId());
        out.put("serial", issued.serialText());
        yield ApiJson.ok(out);
      }
      case Issuance.Refused refused -> throw new ApiError(403, refused.code(), refused.detail());
    };
  }

  SimpleResponse logout(ClientRequest request, GateSnapshot snapshot) {
    Session session = session(request); // ending a session needs no live user: deleted or locked ones may too
    services.sessions().revoke(session.id());
    services.audit().event(AuditCode.LOGOUT).user(session.identity().username()).provider(session.identity().provider())
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("session", SessionRefs.of(session.id()), "via", "api")).record();
    return new SimpleResponse(204, List.of(), new byte[0]);
  }

  SimpleResponse certificateAuthorities(GateSnapshot snapshot) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ssh_user_ca", ssh.userCa().trustedPublicKeys());
    body.put("ssh_host_ca_known_hosts", ssh.hostCa().knownHostsLines("*"));
    body.put("ssh_bastion", bastion(snapshot).orElse(null));
    return ApiJson.ok(body);
  }

  /** The nodes the caller may log in to now, with their logins there, and the bastion that reaches them. */
  SimpleResponse sshNodes(ClientRequest request, GateSnapshot snapshot) {
    Identity identity = authenticated(request, snapshot).identity();
    PolicySnapshot policy = snapshot.policy().snapshot();
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (NodeRecord node : ssh.nodes().list()) {
      List<String> logins = ssh.nodeLogins().loginsFor(identity, new NodeResource(node.name(), node.labels()), policy);
      if (!logins.isEmpty()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", node.name());
        entry.put("labels", new TreeMap<>(node.labels()));
        entry.put("logins", logins);
        nodes.add(entry);
      }
    }
    nodes.sort(Comparator.comparing(entry -> (String) entry.get("name")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bastion", bastion(snapshot).orElse(null));
    body.put("nodes", nodes);
    return ApiJson.ok(body);
  }

  private static Optional<String> bastion(GateSnapshot snapshot) {
    return snapshot.config().ssh().bastion().map(b -> b.publicAddress(snapshot.config().server().publicHost()));
  }

  /** A new API session for the user, no longer than their roles' shortest max_session_ttl. */
  private SimpleResponse signIn(ClientRequest request, GateSnapshot snapshot, Identity signedIn, String via) {
    Identity identity = CurrentUsers.current(signedIn, snapshot.config()).orElseThrow(() -> unknownUser(signedIn));
    ssh.locks().userLock(identity.username()).ifPresent(lock -> {
      throw new ApiError(403, "user-locked", "user " + identity.username() + " is locked");
    });
    SshGrant grant = snapshot.policy().snapshot().sshGrant(identity);
    Duration lifetime = grant.maxSessionTtl().orElse(snapshot.config().session().absoluteTimeout());
    Session session = services.sessions().create(identity, SessionTokens.none(), lifetime);
    services.audit().event(AuditCode.LOGIN_SUCCEEDED).user(identity.username()).provider(identity.provider())
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("session", SessionRefs.of(session.id()), "via", "api-" + via)).record();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", services.cookies().encode(session.id(), TOKEN_AUDIENCE));
    body.put("user", identity.username());
    body.put("provider", identity.provider());
    body.put("roles", grant.roles());
    body.put("expires_at", session.absoluteExpiry().toString());
    return ApiJson.ok(body);
  }

  /** Who calls: the session the bearer token names, and its user as the configuration has them now. */
  private record Caller(Session session, Identity identity) {}

  /** The live session the bearer token names, of a user who still exists and is not locked. */
  private Caller authenticated(ClientRequest request, GateSnapshot snapshot) {
    Session session = session(request);
    // A local user edited or deleted since sign-in gets what the configuration says now, or nothing.
    Identity identity = CurrentUsers.current(session.identity(), snapshot.config())
        .orElseThrow(() -> unknownUser(session.identity()));
    if (ssh.locks().userLock(identity.username()).isPresent()) {
      throw new ApiError(403, "user-locked", "user " + identity.username() + " is locked");
    }
    return new Caller(session, identity);
  }

  /** The live session the bearer token names. */
  private Session session(ClientRequest request) {
    String header = request.header("authorization").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiError(401, "unauthenticated", "Authorization: Bearer <token> is required; run portcullis login");
    }
    return services.cookies().decode(header.substring(7).strip(), TOKEN_AUDIENCE)
        .flatMap(services.sessions()::find)
        .orElseThrow(() -> new ApiError(401, "unauthenticated", "the token is invalid or expired; run portcullis login"));
  }

  private static ApiError unknownUser(Identity identity) {
    return new ApiError(401, "unauthenticated", "user " + identity.username() + " of " + identity.provider()
        + " no longer exists; run portcullis login");
  }

  private static LocalProviderConfig localProvider(GateSnapshot snapshot, Optional<String> name) {
    List<LocalProviderConfig> local = snapshot.config().identityProviders().stream()
        .filter(p -> p instanceof LocalProviderConfig).map(p -> (LocalProviderConfig) p)
        .filter(p -> name.isEmpty() || p.name().equals(name.get())).toList();
    if (local.size() != 1) {
      throw new ApiError(400, "invalid-field", "provider: " + (name.isPresent()
          ? "no local provider named " + name.get() : "several local providers are configured; name one"));
    }
    return local.getFirst();
  }
}

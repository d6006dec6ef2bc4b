package dev.portcullis.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process OpenID Provider whose every answer the test controls, for forging what a real
 * provider never sends: wrong issuers and audiences, alg none, foreign keys, unknown kids. It serves
 * discovery, authorize (auto-approve), token (code and refresh grants), userinfo and a JWKS whose
 * fetches it counts. Tokens are signed with Nimbus-generated keys.
 */
public final class ScriptedOidcProvider implements AutoCloseable {

  /** Turns the ID token claims a correct provider would issue into the serialized token to send. */
  @FunctionalInterface
  public interface IdTokenMinter {
    String mint(JWTClaimsSet correctClaims);
  }

  private record Grant(String nonce, String redirectUri, String state) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final URI issuer;
  private final String clientId;
  private final InstantSource clock;
  private final RSAKey signingKey;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private volatile JWKSet published;
  private volatile int jwksStatus = 200;
  private volatile String advertisedIssuer;
  private volatile String subject = "user-1";
  private volatile Map<String, Object> userInfo = Map.of();
  private volatile IdTokenMinter minter;

  private ScriptedOidcProvider(HttpServer server, String clientId, InstantSource clock) {
    this.server = server;
    this.issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    this.clientId = clientId;
    this.clock = clock;
    this.signingKey = newRsaKey("key-1");
    this.published = new JWKSet(signingKey.toPublicJWK());
    this.advertisedIssuer = issuer.toString();
    this.minter = this::sign;
  }

  /** Starts on 127.0.0.1 with a free port; token times come from {@code clock}. */
  public static ScriptedOidcProvider start(String clientId, InstantSource clock) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
    }
    ScriptedOidcProvider provider = new ScriptedOidcProvider(server, clientId, clock);
    server.createContext("/.well-known/openid-configuration", provider::discovery);
    server.createContext("/authorize", provider::authorizeEndpoint);
    server.createContext("/token", provider::token);
    server.createContext("/userinfo", provider::userInfoEndpoint);
    server.createContext("/jwks", provider::jwks);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return provider;
  }

  /** A fresh 2048-bit RSA signing key with this kid. */
  public static RSAKey newRsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI issuer() {
    return issuer;
  }

  /** The published key ({@code kid} key-1) that correct tokens are signed with. */
  public RSAKey signingKey() {
    return signingKey;
  }

  /** Replaces the JWKS with the public parts of these keys. */
  public void publishKeys(JWK... keys) {
    published = new JWKSet(List.of(keys).stream().map(JWK::toPublicJWK).toList());
  }

  /** Makes the JWKS endpoint answer with this status (200 serves the keys; anything else an empty error). */
  public void jwksStatus(int status) {
    this.jwksStatus = status;
  }

  /** How many times the JWKS was fetched. */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** How many requests reached the token endpoint. */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** The issuer the discovery document names (default: the real one). */
  public void advertiseIssuer(String issuer) {
    this.advertisedIssuer = Objects.requireNonNull(issuer, "issuer");
  }

  public void subject(String subject) {
    this.subject = Objects.requireNonNull(subject, "subject");
  }

  /** Claims the userinfo endpoint adds to {@code sub} (a {@code sub} here overrides it). */
  public void userInfo(Map<String, ?> claims) {
    this.userInfo = Map.copyOf(claims);
  }

  /** How the token endpoint turns correct claims into the ID token it sends; the default signs them as they are. */
  public void mintIdTokens(IdTokenMinter minter) {
    this.minter = Objects.requireNonNull(minter, "minter");
  }

  /** Signs claims RS256 with {@link #signingKey()}. */
  public String sign(JWTClaimsSet claims) {
    return sign(claims, signingKey, JWSAlgorithm.RS256);
  }

  /** Signs claims with any key and algorithm, the key's kid in the header. */
  public static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm alg) {
    try {
      JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(key, alg);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Follows an authorization URL to this provider's authorize endpoint and returns the callback redirect. */
  public URI authorize(URI authorizationUrl) {
    try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(authorizationUrl).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return URI.create(response.headers().firstValue("Location")
          .orElseThrow(() -> new IllegalStateException("authorize answered " + response.statusCode() + ": " + response.body())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void discovery(HttpExchange exchange) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", advertisedIssuer);
    doc.put("authorization_endpoint", issuer + "/authorize");
    doc.put("token_endpoint", issuer + "/token");
    doc.put("userinfo_endpoint", issuer + "/userinfo");
    doc.put("jwks_uri", issuer + "/jwks");
    doc.put("response_types_supported", List.of("code"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
    respond(exchange, 200, JSON.writeValueAsString(doc));
  }

  private void authorizeEndpoint(HttpExchange exchange) throws IOException {
    Map<String, String> params = Redirects.queryParameters(exchange.getRequestURI());
    String code = UUID.randomUUID().toString();
    codes.put(code, new Grant(params.get("nonce"), params.get("redirect_uri"), params.get("state")));
    String location = params.get("redirect_uri") + "?code=" + code + "&state=" + params.get("state");
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = Redirects.queryParameters(URI.create("?" + body));
    String nonce;
    if ("authorization_code".equals(form.get("grant_type"))) {
      Grant grant = codes.remove(form.getOrDefault("code", ""));
      if (grant == null) {
        respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or used code\"}");
        return;
      }
      nonce = grant.nonce();
    } else if ("refresh_token".equals(form.get("grant_type"))) {
      nonce = null;
    } else {
      respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
      return;
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer.toString()).subject(subject).audience(clientId)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("access_token", "at-" + UUID.randomUUID());
    response.put("token_type", "Bearer");
    response.put("expires_in", 300);
    response.put("refresh_token", "rt-" + UUID.randomUUID());
    response.put("id_token", minter.mint(claims.build()));
    respond(exchange, 200, JSON.writeValueAsString(response));
  }

  private void userInfoEndpoint(HttpExchange exchange) throws IOException {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", subject);
    claims.putAll(userInfo);
    respond(exchange, 200, JSON.writeValueAsString(claims));
  }

  private void jwks(HttpExchange exchange) throws IOException {
    jwksFetches.incrementAndGet();
    int status = jwksStatus;
    respond(exchange, status, status == 200 ? published.toString() : "{\"error\":\"unavailable\"}");
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

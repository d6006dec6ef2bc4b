package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.session.CliCodes;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.tokens.JoinTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The command line's and node agents' API on a real server: tokens, certificates, joins and principals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshApiEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://portcullis.localhost:{PORT}
        data_dir: {DATA}
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [dev]
              password_hash: "{HASH}"
            - username: mallory
              groups: [dev]
              password_hash: "{HASH}"
      roles:
        - name: dev
          allow:
            app_labels: {"*": ["*"]}
            node_labels: {env: [dev]}
            logins: ["{{internal.username}}", ubuntu]
            sudo: true
          options:
            max_session_ttl: 4h
      role_mappings:
        - groups: [dev]
          roles: [dev]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  private TestServer server;
  private TestBrowser client;

  @BeforeAll
  void start(@TempDir Path dir) {
    server = TestServer.start(dir, CONFIG);
    client = new TestBrowser(server.certificate());
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aPasswordSignInGivesATokenThatGetsACertificateWithTheRolesLogins() throws Exception {
    String token = login("alice").path("token").asText();

    JsonNode whoami = api("GET", "whoami", token, null);
    assertThat(whoami.path("logins").toString()).contains("alice").contains("ubuntu");
    JsonNode cert = api("POST", "ssh/certificates", token, Map.of("public_key", freshKey()));
    assertThat(cert.path("certificate").asText()).startsWith("ecdsa-sha2-nistp256-cert-v01@openssh.com ");
    assertThat(cert.path("principals").toString()).contains("alice").contains("ubuntu");
    assertThat(cert.path("key_id").asText()).isEqualTo("alice@local");
    assertThat(Duration.between(java.time.Instant.parse(cert.path("valid_after").asText()),
        java.time.Instant.parse(cert.path("valid_before").asText()))).isEqualTo(Duration.ofHours(4).plusMinutes(1));
    assertThat(WebFixtures.audit(server, "cert.issued")).anySatisfy(e -> assertThat(e.event().user()).isEqualTo("alice"));
  }

  @Test
  void refusesCallsWithoutAValidTokenAndBadInputWithTheFieldNamed() throws Exception {
    assertThat(status("GET", "whoami", null, null)).isEqualTo(401);
    assertThat(status("GET", "whoami", "forged.token", null)).isEqualTo(401);
    HttpResponse<String> missing = send("POST", "login/local", null, Map.of("username", "alice"));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("password");
    String token = login("alice").path("token").asText();
    HttpResponse<String> badKey = send("POST", "ssh/certificates", token, Map.of("public_key", "ssh-ed25519 garbage"));
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.body()).contains("public_key").doesNotContain("Exception");
  }

  @Test
  void aLockedUserGetsNoTokenAndNoCertificate() throws Exception {
    String token = login("mallory").path("token").asText();
    server.server().ssh().locks().lockUser("mallory", "test", "admin");
    try {
      assertThat(send("POST", "ssh/certificates", token, Map.of("public_key", freshKey())).body()).contains("user-locked");
      assertThat(send("POST", "login/local", null, Map.of("username", "mallory", "password", TestServer.PASSWORD))
          .statusCode()).isEqualTo(403);
    } finally {
      server.server().ssh().locks().unlockUser("mallory");
    }
  }

  @Test
  void theBrowserSignsTheCommandLineInWithAOneTimeCodeBoundToItsVerifier() throws Exception {
    TestBrowser browser = new TestBrowser(server.certificate());
    WebFixtures.signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    String verifier = "v".repeat(43) + "erifier";
    URI authorize = server.url("portcullis", "/.portcullis/cli/authorize?port=45678&state=state-0123456789abcdef&challenge="
        + CliCodes.challengeOf(verifier));

    HttpResponse<String> confirm = browser.get(authorize);
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body()).contains("alice");
    HttpResponse<String> approved = browser.postForm(server.url("portcullis", "/.portcullis/cli/authorize"), Map.of(
        "csrf", field(confirm.body(), "csrf"), "port", "45678", "state", "state-0123456789abcdef",
        "challenge", CliCodes.challengeOf(verifier)));
    URI callback = TestBrowser.location(approved);
    assertThat(callback.getScheme() + "://" + callback.getAuthority() + callback.getPath()).isEqualTo("http://127.0.0.1:45678/callback");
    String code = field(callback.getQuery(), "code");

    assertThat(send("POST", "cli/token", null, Map.of("code", code, "verifier", "w".repeat(50))).statusCode())
        .as("a wrong verifier").isEqualTo(400);
    String code2 = field(TestBrowser.location(browser.postForm(server.url("portcullis", "/.portcullis/cli/authorize"),
        Map.of("csrf", field(browser.get(authorize).body(), "csrf"), "port", "45678", "state", "state-0123456789abcdef",
            "challenge", CliCodes.challengeOf(verifier)))).getQuery(), "code");
    JsonNode token = JSON.readTree(send("POST", "cli/token", null, Map.of("code", code2, "verifier", verifier)).body());
    assertThat(token.path("user").asText()).isEqualTo("alice");
    assertThat(send("POST", "cli/token", null, Map.of("code", code2, "verifier", verifier)).statusCode())
        .as("the same code twice").isEqualTo(400);
  }

  @Test
  void aNodeJoinsOnceAndAnswersPrincipalsFromCurrentRolesAndLocks() throws Exception {
    String joinToken = server.server().ssh().joinTokens().create(JoinTokens.Kind.NODE, Duration.ofHours(1)).token();
    Map<String, Object> join = Map.of("token", joinToken, "name", "web-1", "labels", Map.of("env", "dev"),
        "address", "127.0.0.1:22", "host_public_key", freshKey());
    JsonNode joined = api("POST", "nodes/join", null, join);
    assertThat(joined.path("host_certificate").asText()).startsWith("ecdsa-sha2-nistp256-cert-v01@openssh.com ");
    assertThat(send("POST", "nodes/join", null, join).statusCode()).as("the token again").isEqualTo(401);
    String node = joined.path("credential").asText();

    String alice = login("alice").path("token").asText();
    api("POST", "ssh/certificates", alice, Map.of("public_key", freshKey()));
    assertThat(principals(node, "alice", "alice@local")).isEqualTo("alice\n");
    assertThat(principals(node, "root", "alice@local")).isEmpty();
    assertThat(api("POST", "nodes/heartbeat", node, Map.of("labels", Map.of("env", "dev"))).path("accounts").toString())
        .contains("\"login\":\"alice\",\"sudo\":true");

    server.server().ssh().locks().lockUser("alice", "offboarded", "admin");
    try {
      assertThat(principals(node, "alice", "alice@local")).as("locked").isEmpty();
      assertThat(api("POST", "nodes/heartbeat", node, Map.of("labels", Map.of("env", "dev"))).path("accounts").toString())
          .doesNotContain("alice");
    } finally {
      server.server().ssh().locks().unlockUser("alice");
    }
    assertThat(send("GET", "nodes/principals?login=alice&key_id=alice@local", "web-1.forged", null).statusCode()).isEqualTo(401);
  }

  private String principals(String node, String login, String keyId) {
    HttpResponse<String> response = send("GET", "nodes/principals?login=" + login + "&key_id=" + keyId, node, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private JsonNode login(String user) throws Exception {
    return api("POST", "login/local", null, Map.of("username", user, "password", TestServer.PASSWORD));
  }

  private JsonNode api(String method, String path, String token, Object body) throws Exception {
    HttpResponse<String> response = send(method, path, token, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private int status(String method, String path, String token, Object body) {
    return send(method, path, token, body).statusCode();
  }

  private HttpResponse<String> send(String method, String path, String token, Object body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(server.url("portcullis", "/.portcullis/api/v1/" + path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
          .header("Content-Type", "application/json");
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return client.send(request);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String freshKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return SshPublicKeys.toLine(generator.generateKeyPair().getPublic());
  }

  private static String field(String text, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"|" + name + "=([A-Za-z0-9_-]+)").matcher(text);
    assertThat(m.find()).as(name + " in " + text).isTrue();
    return m.group(1) != null ? m.group(1) : m.group(2);
  }
}

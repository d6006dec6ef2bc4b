package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portcullis.node.agent.HeartbeatResult;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node's host certificate (30 days from join) is renewed by a heartbeat once less than a third of it is left,
 * and the agent installs it and reloads sshd, which then serves it: clients that trust only the host CA keep
 * trusting the node. The server's clock is moved on; sshd and the agent run on real time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostCertificateRenewalEndToEndTest {

  private static final String CONFIG = SshFixture.SERVER + """
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              password_hash: "{HASH}"
      roles:
        - name: dev
          allow:
            node_labels: {env: [dev]}
      role_mappings:
        - everyone: true
          roles: [dev]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;
  /** ssh-keygen -L: {@code Valid: from 2026-11-21T06:59:00 to 2026-12-21T07:00:00}, in UTC with TZ=UTC. */
  private static final Pattern VALID = Pattern.compile("Valid: from \\S+ to (\\S+)");
  private static final Pattern SERIAL = Pattern.compile("Serial: (\\d+)");

  private SshFixture fixture;

  @BeforeAll
  void enrollANode() throws Exception {
    fixture = SshFixture.start(CONFIG);
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aHeartbeatRenewsTheHostCertificateOnceAThirdOfItIsLeftAndSshdServesTheNewOne() throws Exception {
    TestNode web1 = fixture.web1;
    String joined = Files.readString(web1.paths.hostCertificate());
    Instant joinedUntil = validBefore(inspect());
    assertThat(joinedUntil).isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(1, ChronoUnit.HOURS));

    HeartbeatResult early = web1.heartbeat();
    assertThat(early.hostCertificate()).as(early::summary).isEmpty();
    fixture.server.clock.advance(Duration.ofDays(19));
    assertThat(web1.heartbeat().hostCertificate()).as("11 days left: not yet").isEmpty();
    assertThat(Files.readString(web1.paths.hostCertificate())).isEqualTo(joined);

    fixture.server.clock.advance(Duration.ofDays(2));
    int mark = web1.sshd.logMark();
    HeartbeatResult due = web1.heartbeat();

    assertThat(due.ok()).as(due::summary).isTrue();
    assertThat(due.hostCertificate()).as(due::summary).isPresent();
    assertThat(due.reload()).as(due::summary).isPresent();
    String renewed = Files.readString(web1.paths.hostCertificate());
    assertThat(renewed).isNotEqualTo(joined);
    String details = inspect();
    assertThat(validBefore(details)).isCloseTo(joinedUntil.plus(Duration.ofDays(21)), within(1, ChronoUnit.HOURS));
    assertThat(details).contains("web-1").contains("127.0.0.1");
    assertThat(web1.sshd.awaitLog(mark, "Received SIGHUP; restarting.", Duration.ofSeconds(10))).isTrue();
    assertThat(web1.sshd.awaitListening(mark)).as(() -> web1.logSince(mark)).isTrue();
    // What clients now get from sshd is the renewed certificate.
    Command.Result scan = RealHost.run(RealOpenSsh.SSH.resolveSibling("ssh-keyscan").toString(), "-c", "-t",
        "ed25519", "-p", Integer.toString(web1.sshd.port()), "127.0.0.1");
    assertThat(scan.stdout()).as(scan::describe).contains(renewed.strip().split(" ")[1]);
    assertThat(fixture.audit("cert.issued")).anySatisfy(event -> assertThat(event.event().resource())
        .isEqualTo("node:web-1"));

    assertThat(web1.heartbeat().hostCertificate()).as("renewed once").isEmpty();
  }

  /** ssh-keygen -L of the node's host certificate file, in UTC. */
  private String inspect() {
    Command.Result listing = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-L", "-f",
        fixture.web1.paths.hostCertificate().toString()), Map.of("TZ", "UTC"), Duration.ofSeconds(10));
    assertThat(listing.succeeded()).as(listing::describe).isTrue();
    assertThat(SERIAL.matcher(listing.stdout()).find()).as(listing::describe).isTrue();
    return listing.stdout();
  }

  private static Instant validBefore(String listing) {
    Matcher matcher = VALID.matcher(listing);
    assertThat(matcher.find()).as(listing).isTrue();
    return LocalDateTime.parse(matcher.group(1), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
  }
}

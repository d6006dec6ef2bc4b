package dev.portcullis.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small value parsers and formatters: proxy URLs, the profile file, browser commands, ssh_config paths. */
class SmallPartsTest {

  @Test
  void acceptsAnHttpsServerUrlWithOrWithoutTheTrailingSlash() {
    assertThat(ProxyUrl.parse("https://portcullis.example.com:8443/")).isEqualTo(URI.create("https://portcullis.example.com:8443"));
    assertThat(ProxyUrl.parse(" https://127.0.0.1:8443 ")).isEqualTo(URI.create("https://127.0.0.1:8443"));
  }

  @Test
  void refusesProxyUrlsThatAreNotJustHttpsHostAndPort() {
    for (String url : List.of("http://example.com", "example.com:8443", "https://example.com/app",
        "https://user@example.com", "https://example.com/?x=1", "https://", "ht tp://x")) {
      assertThatThrownBy(() -> ProxyUrl.parse(url)).as(url).isInstanceOf(CliFailure.class)
          .hasMessageStartingWith("--proxy: ").extracting(e -> ((CliFailure) e).exitCode()).isEqualTo(2);
    }
  }

  @Test
  void profileRoundTripsThroughJsonAndNeverShowsItsToken() {
    Profile profile = new Profile(URI.create("https://p.example.com:8443"), "alice", "local", List.of("dev"),
        List.of("root"), "secret-token-value", Instant.parse("2030-01-01T00:00:00Z"), true);

    assertThat(Profile.fromJson(profile.toJson(), "profile.json")).isEqualTo(profile);
    assertThat(profile.toString()).doesNotContain("secret-token-value");
    assertThat(profile.toJson()).contains("\"expires_at\":\"2030-01-01T00:00:00Z\"").contains("\"insecure\":true");
  }

  @Test
  void runsTheBrowserCommandsFromTheBrowserVariable() {
    SystemBrowser browser = new SystemBrowser(Map.of("BROWSER", "firefox --new-tab %s:w3m"));

    assertThat(browser.candidates("https://x/a?b=1&c=2")).containsExactly(
        List.of("firefox", "--new-tab", "https://x/a?b=1&c=2"), List.of("w3m", "https://x/a?b=1&c=2"));
  }

  @Test
  void startsNoBrowserWithoutADisplayOrBrowserVariable() {
    SystemBrowser browser = new SystemBrowser(Map.of());

    if (!System.getProperty("os.name").toLowerCase().contains("mac")) {
      assertThat(browser.candidates("https://x")).isEmpty();
      assertThatThrownBy(() -> browser.open(URI.create("https://x"))).isInstanceOf(IOException.class)
          .hasMessageContaining("set BROWSER");
    }
    assertThat(new SystemBrowser(Map.of("DISPLAY", ":0")).candidates("https://x")).isNotEmpty();
  }

  @Test
  void writesPathsAsSshConfigReadsThem() {
    assertThat(SshConfigBlock.path(Path.of("/home/a b/.portcullis/known_hosts")))
        .isEqualTo("\"/home/a b/.portcullis/known_hosts\"");
    assertThat(SshConfigBlock.path(Path.of("/home/100%/k"))).isEqualTo("/home/100%%/k");
    assertThatThrownBy(() -> SshConfigBlock.path(Path.of("/home/a\"b/k"))).isInstanceOf(CliFailure.class);
  }
}

package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.NodeOidcProviderProcess;
import dev.portcullis.testing.RealComponents;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium signs in through the proxy: app host, handshake, the sign-in chooser, the
 * real OIDC provider's own login page, and back to the upstream app, which shows the identity it got.
 */
class BrowserSignInTest {
  private static final String CHROMIUM = System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMIUM", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

  @TempDir Path tempDir;
  private TestServer server;
  private WebDriver driver;

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void signsInThroughTheOidcProvidersLoginPageAndReachesTheUpstream() throws Exception {
    RealComponents.requireOrSkip(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
        "Chromium and ChromeDriver (apt-get install chromium chromium-driver)");
    NodeOidcProviderProcess.requireAvailable();
    int port = TestServer.freePort();
    NodeOidcProviderProcess idp = NodeOidcProviderProcess.start(
        new NodeOidcProviderProcess.Client("portcullis", Optional.of("browser-test-secret"),
            List.of(URI.create("https://portcullis.localhost:" + port + "/.portcullis/oidc/callback")),
            List.of(URI.create("https://portcullis.localhost:" + port + "/.portcullis/signed_out")), "ES256"),
        List.of(new NodeOidcProviderProcess.Account("carol", "carol-password", "carol@example.com", "Carol", List.of("ops"))));
    server = TestServer.startOnPort(tempDir, port, WebFixtures.LOCAL_CONFIG.replace(
        "identity_providers:\n", """
            identity_providers:
              - name: corp
                type: oidc
                display_name: Corporate SSO
                issuer: %s
                client_id: portcullis
                client_secret: browser-test-secret
                scopes: [openid, email, profile, groups]
            """.formatted(idp.issuer())));
    server.closeLater(idp);
    driver = chromium();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

    driver.get(server.url("ops", "/dashboard").toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-corp"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys("carol");
    driver.findElement(By.name("password")).sendKeys("carol-password");
    driver.findElement(By.cssSelector("button[type=submit]")).click();
    consentIfAsked(wait);

    try {
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("report")));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the browser ended at " + driver.getCurrentUrl() + ":\n" + driver.getPageSource(), e);
    }
    assertThat(driver.getCurrentUrl()).isEqualTo(server.url("ops", "/dashboard").toString());
    String report = driver.findElement(By.id("report")).getText();
    assertThat(report).contains("\"email\" : \"carol@example.com\"").contains("\"ops\"").contains("x-portcullis-jwt-assertion");
  }

  private void consentIfAsked(WebDriverWait wait) {
    wait.until(d -> !d.findElements(By.id("report")).isEmpty() || !d.findElements(By.name("consent")).isEmpty());
    if (driver.findElements(By.id("report")).isEmpty()) {
      driver.findElement(By.name("consent")).click();
    }
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--ignore-certificate-errors", "--user-data-dir=" + tempDirFor("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static String tempDirFor(String name) {
    try {
      return Files.createTempDirectory(name).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

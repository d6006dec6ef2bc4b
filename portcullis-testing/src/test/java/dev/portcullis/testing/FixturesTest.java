package dev.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.portcullis.testing.internal.CookieJar;
import dev.portcullis.testing.internal.HtmlForms;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixturesTest {

  @Test
  void testClockMovesOnlyWhenTold() {
    TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    assertThat(clock.instant()).isEqualTo(clock.instant());
    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(Instant.parse("2030-01-01T00:05:00Z"));
    clock.set(Instant.EPOCH);
    assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void redirectsDecodeQueryParametersAndRefuseRepeats() {
    assertThat(Redirects.queryParameters(URI.create("http://x/cb?code=a%2Bb&state=s+1&iss=http%3A%2F%2Fi")))
        .containsExactly(Map.entry("code", "a+b"), Map.entry("state", "s 1"), Map.entry("iss", "http://i"));
    assertThatIllegalArgumentException().isThrownBy(() -> Redirects.queryParameters(URI.create("http://x/?a=1&a=2")));
  }

  @Test
  void cookieJarKeepsCookiesScopedToAPathSetFromElsewhere() {
    // The JDK CookieManager would drop this cookie: it is set by /auth for the /interaction/abc path.
    CookieJar jar = new CookieJar();
    jar.put(URI.create("http://127.0.0.1:1/auth?x"), Map.of("Set-Cookie",
        List.of("_interaction=v1; path=/interaction/abc; httponly; samesite=lax", "_session=s; path=/")));

    assertThat(jar.get(URI.create("http://127.0.0.1:1/interaction/abc"), Map.of()))
        .containsEntry("Cookie", List.of("_interaction=v1; _session=s"));
    assertThat(jar.get(URI.create("http://127.0.0.1:1/interaction/abcd"), Map.of()))
        .containsEntry("Cookie", List.of("_session=s"));
    assertThat(jar.get(URI.create("http://127.0.0.2:1/"), Map.of())).isEmpty();

    jar.put(URI.create("http://127.0.0.1:1/x"), Map.of("set-cookie",
        List.of("_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT")));
    assertThat(jar.get(URI.create("http://127.0.0.1:1/"), Map.of())).isEmpty();
  }

  @Test
  void htmlFormsReadActionsHiddenFieldsAndTheSubmitButton() {
    List<HtmlForms.Form> forms = HtmlForms.parse("""
        <form id="op.logoutForm" method="post" action="/session/end/confirm">
          <input type="hidden" name="xsrf" value="a&amp;b"/>
          <input type="password" name="password">
          <button type="submit" name="logout" value="yes">Sign out</button>
        </form>""");

    assertThat(forms).singleElement().satisfies(form -> {
      assertThat(form.action()).isEqualTo("/session/end/confirm");
      assertThat(form.fields()).containsExactly(Map.entry("xsrf", "a&b"), Map.entry("logout", "yes"));
      assertThat(form.inputNames()).containsExactly("xsrf", "password");
    });
  }
}

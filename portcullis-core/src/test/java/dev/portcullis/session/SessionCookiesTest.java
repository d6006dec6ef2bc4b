package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {
  private final byte[] key = filled(7);
  private final SessionCookies cookies = new SessionCookies(key);

  @Test
  void decodesAHandleItSignedForTheSameHost() {
    String handle = cookies.encode("sid-123", "whoami.localhost");

    assertThat(cookies.decode(handle, "whoami.localhost")).hasValue("sid-123");
    assertThat(cookies.decode(handle, "WHOAMI.localhost")).hasValue("sid-123");
  }

  @Test
  void refusesAHandleForAnotherHostAnotherKeyOrWithAnyChange() {
    String handle = cookies.encode("sid-123", "whoami.localhost");

    assertThat(cookies.decode(handle, "ops.localhost")).isEmpty();
    assertThat(new SessionCookies(filled(8)).decode(handle, "whoami.localhost")).isEmpty();
    assertThat(cookies.decode("sid-124" + handle.substring(7), "whoami.localhost")).isEmpty();
    assertThat(cookies.decode(handle.substring(0, handle.length() - 1) + "x", "whoami.localhost")).isEmpty();
    assertThat(cookies.decode(handle + ".extra", "whoami.localhost")).isEmpty();
    assertThat(cookies.decode("sid-123", "whoami.localhost")).isEmpty();
    assertThat(cookies.decode("", "whoami.localhost")).isEmpty();
    assertThat(cookies.decode(null, "whoami.localhost")).isEmpty();
  }

  @Test
  void aVerifiedHandleVouchesForNoOtherValueOrHost() {
    String handle = cookies.encode("sid-123", "whoami.localhost");
    assertThat(cookies.decode(handle, "whoami.localhost")).hasValue("sid-123");

    // Asked right after the genuine handle verified, on the same thread, every variant is still refused.
    assertThat(cookies.decode(handle, "ops.localhost")).isEmpty();
    assertThat(cookies.decode(handle.substring(0, handle.length() - 1) + "x", "whoami.localhost")).isEmpty();
    assertThat(cookies.decode("sid-124" + handle.substring(7), "whoami.localhost")).isEmpty();
    assertThat(cookies.decode(handle + "x", "whoami.localhost")).isEmpty();
    assertThat(new SessionCookies(filled(8)).decode(handle, "whoami.localhost")).isEmpty();
    assertThat(cookies.decode(handle, "whoami.localhost")).hasValue("sid-123");
  }

  @Test
  void refusesShortKeys() {
    assertThatThrownBy(() -> new SessionCookies(new byte[16])).hasMessageContaining("hmacKey: 16 bytes");
  }

  private static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}

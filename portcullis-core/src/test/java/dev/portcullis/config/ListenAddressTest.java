package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {

  @Test
  void parsesHostAndPort() {
    assertThat(ListenAddress.parse("127.0.0.1:8443")).isEqualTo(new ListenAddress("127.0.0.1", 8443));
    assertThat(ListenAddress.parse("[::1]:0")).isEqualTo(new ListenAddress("::1", 0));
    assertThat(ListenAddress.parse("proxy.internal:443").host()).isEqualTo("proxy.internal");
  }

  @Test
  void printsIpv6InBrackets() {
    assertThat(new ListenAddress("::1", 8443)).hasToString("[::1]:8443");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8443", ":8443", "127.0.0.1", "127.0.0.1:70000", "::1:8443", "[example]:80", "a b:80",
      "host:port"})
  void refusesAnythingElse(String text) {
    assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected:");
  }
}

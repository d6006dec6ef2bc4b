package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @Test
  void parsesIpv4AndIpv6Networks() {
    assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    assertThat(Cidr.parse("fd00::/8").prefixLength()).isEqualTo(8);
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("8.8.8.8"))).isTrue();
  }

  @Test
  void aBareAddressIsASingleHost() {
    Cidr host = Cidr.parse("192.0.2.1");

    assertThat(host.prefixLength()).isEqualTo(32);
    assertThat(host.contains(InetAddress.ofLiteral("192.0.2.1"))).isTrue();
    assertThat(host.contains(InetAddress.ofLiteral("192.0.2.2"))).isFalse();
    assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
  }

  @Test
  void neverMatchesAcrossAddressFamilies() {
    assertThat(Cidr.parse("::/0").contains(InetAddress.ofLiteral("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("::1"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com/8", "localhost", "10.0.0/8", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1",
      "10.0.0.0/", "010.0.0.0/8", "fe80::1%eth0/64", "1.2.3.4/8/8"})
  void refusesWhatIsNotANetworkLiteralWithoutAnyDnsLookup(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesHostBitsAndSuggestsTheNetwork() {
    assertThatThrownBy(() -> Cidr.parse("192.168.1.77/24"))
        .hasMessageContaining("192.168.1.77/24 has host bits set").hasMessageContaining("did you mean 192.168.1.0/24?");
  }
}

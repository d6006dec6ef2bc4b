package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading enrolled node addresses. */
class NodeAddressTest {

  @Test
  void readsHostsPortsAndBracketedIpv6() {
    assertThat(NodeAddress.parse("10.0.0.5:2222")).isEqualTo(new NodeAddress("10.0.0.5", 2222));
    assertThat(NodeAddress.parse("[::1]:22")).isEqualTo(new NodeAddress("::1", 22));
    assertThat(NodeAddress.parse("web-1.internal")).isEqualTo(new NodeAddress("web-1.internal", 22));
    assertThat(NodeAddress.parse("[::1]:22").toString()).isEqualTo("[::1]:22");
  }

  @Test
  void refusesPortsOutOfRange() {
    assertThatThrownBy(() -> NodeAddress.parse("host:70000")).hasMessageContaining("expected: a port 1-65535");
    assertThatThrownBy(() -> NodeAddress.parse("host:ssh")).hasMessageContaining("expected: host:port");
  }
}

package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceCidrsCriterionTest {
  final SourceCidrsCriterion criterion =
      new SourceCidrsCriterion(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:abcd::/48")));

  @Test
  void matchesAnIpv4AddressInside() {
    assertThat(criterion.test(request().source("10.255.0.1").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchAnIpv4AddressOutside() {
    assertThat(criterion.test(request().source("11.0.0.1").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().source("9.255.255.255").build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void matchesAnIpv6AddressInside() {
    assertThat(criterion.test(request().source("2001:db8:abcd:12::1").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchAnIpv6AddressOutside() {
    assertThat(criterion.test(request().source("2001:db8:abce::1").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().source("::1").build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void treatsAnIpv4MappedIpv6AddressAsIpv4() {
    assertThat(criterion.test(request().source("::ffff:10.1.2.3").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void matchesNonOctetPrefixLengths() {
    SourceCidrsCriterion narrow = new SourceCidrsCriterion(List.of(Cidr.parse("192.168.4.0/22")));

    assertThat(narrow.test(request().source("192.168.7.255").build())).isEqualTo(Outcome.MATCH);
    assertThat(narrow.test(request().source("192.168.8.0").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(narrow.test(request().source("192.168.3.255").build())).isEqualTo(Outcome.NO_MATCH);
  }
}

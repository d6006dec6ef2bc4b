package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar's resolver: every *.localhost name is loopback (RFC 6761), every other name is the platform's business. */
class LocalhostSubdomainsTest {
  private static final LookupPolicy ANY = LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);

  private final InetAddressResolver resolver = LocalhostSubdomains.over(new InetAddressResolver() {
    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
      if (host.equals("intranet.example")) {
        return Stream.of(InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3}));
      }
      throw new UnknownHostException(host);
    }

    @Override
    public String lookupByAddress(byte[] address) {
      return "platform";
    }
  });

  @Test
  void resolvesEveryLocalhostSubdomainToLoopback() throws Exception {
    assertThat(resolver.lookupByName("portcullis.localhost", ANY).toList())
        .singleElement().satisfies(address -> assertThat(address.getHostAddress()).isEqualTo("127.0.0.1"));
    assertThat(resolver.lookupByName("Whoami.LOCALHOST", ANY).toList())
        .singleElement().satisfies(address -> assertThat(address.isLoopbackAddress()).isTrue());
  }

  @Test
  void leavesEveryOtherNameToThePlatform() throws Exception {
    assertThat(resolver.lookupByName("intranet.example", ANY).map(InetAddress::getHostAddress).toList())
        .containsExactly("10.1.2.3");
    assertThatThrownBy(() -> resolver.lookupByName("localhost.example", ANY)).isInstanceOf(UnknownHostException.class);
    assertThat(resolver.lookupByAddress(new byte[] {127, 0, 0, 1})).isEqualTo("platform");
  }

  @Test
  void theJarRegistersItForTheJdk() throws Exception {
    Path services = Path.of("src/main/resources/META-INF/services/java.net.spi.InetAddressResolverProvider");

    assertThat(Files.readAllLines(services)).isEqualTo(List.of(LocalhostSubdomains.class.getName()));
  }
}

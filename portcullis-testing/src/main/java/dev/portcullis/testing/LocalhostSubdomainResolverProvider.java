package dev.portcullis.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves every {@code *.localhost} name to the loopback address in tests, as browsers do (RFC 6761
 * section 6.3), so tests can use per-app host names like {@code whoami.localhost} with no /etc/hosts
 * entries. Every other name goes to the platform resolver.
 */
public final class LocalhostSubdomainResolverProvider extends InetAddressResolverProvider {

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver platform = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        if (host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
          return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        return platform.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] address) throws UnknownHostException {
        return platform.lookupByAddress(address);
      }
    };
  }

  @Override
  public String name() {
    return "portcullis-localhost-subdomains";
  }
}

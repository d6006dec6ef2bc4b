package dev.portcullis.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves every {@code *.localhost} name to the loopback address, as RFC 6761 (section 6.3) asks and browsers do,
 * so the CLI reaches the demo at {@code https://portcullis.localhost:8443} on machines whose resolver does not
 * (glibc without systemd-resolved or nss-myhostname). Every other name goes to the platform resolver.
 */
public final class LocalhostSubdomains extends InetAddressResolverProvider {

  @Override
  public InetAddressResolver get(Configuration configuration) {
    return over(configuration.builtinResolver());
  }

  /** The resolver that answers {@code *.localhost} itself and asks {@code platform} for everything else. */
  static InetAddressResolver over(InetAddressResolver platform) {
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

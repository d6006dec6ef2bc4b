package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalizes the {@code email_domains} lists of role mappings and rules to lower case. */
final class EmailDomains {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private EmailDomains() {}

  static List<String> normalize(List<String> domains, String key) {
    List<String> copy = Check.list(domains, key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < copy.size(); i++) {
      String domain = copy.get(i).toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(domain).matches()) {
        throw Check.invalid(List.of(key, i), Check.quote(copy.get(i))
            + " is not a domain (expected: a domain such as example.com, without @)");
      }
      out.add(domain);
    }
    return List.copyOf(out);
  }
}

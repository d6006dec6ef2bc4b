package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.AppConfig;
import java.util.Map;

/**
 * A web app as the policy sees it.
 *
 * @param name the app's name from the configuration
 * @param host the app's public host
 * @param labels the app's labels
 */
public record AppResource(String name, String host, Map<String, String> labels) implements Resource {

  public AppResource {
    requireNonNull(name, "name");
    requireNonNull(host, "host");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The resource for a configured app. */
  public static AppResource of(AppConfig app) {
    return new AppResource(app.name(), app.host(), app.labels());
  }

  @Override
  public String id() {
    return "app:" + name;
  }
}

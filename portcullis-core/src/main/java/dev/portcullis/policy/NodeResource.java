package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An SSH node (a server running the node agent) as the policy sees it.
 *
 * @param name the node's unique name, such as its host name
 * @param labels the node's labels, such as {@code env=dev}, which roles select with {@code node_labels}
 */
public record NodeResource(String name, Map<String, String> labels) implements Resource {

  public NodeResource {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: \"\" (expected: the node's name)");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public String id() {
    return "node:" + name;
  }
}

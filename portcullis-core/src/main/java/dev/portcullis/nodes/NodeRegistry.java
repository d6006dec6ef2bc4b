package dev.portcullis.nodes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The enrolled nodes, kept in the store: joined once with a token, then kept fresh by heartbeats. */
public final class NodeRegistry {
  private static final String PREFIX = "nodes/";
  private static final ObjectMapper JSON =
      new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Store store;
  private final InstantSource clock;

  public NodeRegistry(Store store, InstantSource clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Records a node that just joined, replacing an earlier enrollment under the same name. */
  public NodeRecord register(NodeRecord node) {
    store.put(PREFIX + node.name(), write(node), Optional.empty());
    return node;
  }

  /** Marks a node as seen now with its current labels; empty when it is not enrolled. */
  public Optional<NodeRecord> heartbeat(String name, Map<String, String> labels) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<Item> current = store.get(PREFIX + name);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      NodeRecord seen = read(current.get()).seen(clock.instant(), labels);
      if (store.compareAndSwap(PREFIX + name, current.get().revision(), write(seen), Optional.empty()).isPresent()) {
        return Optional.of(seen);
      }
    }
    throw new IllegalStateException("node " + name + ": heartbeat kept conflicting with other writes");
  }

  public Optional<NodeRecord> find(String name) {
    if (name == null || !NodeRecord.NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return store.get(PREFIX + name).map(NodeRegistry::read);
  }

  public List<NodeRecord> list() {
    return store.range(PREFIX, 10_000).stream().map(NodeRegistry::read).toList();
  }

  public boolean remove(String name) {
    return store.delete(PREFIX + name);
  }

  private static byte[] write(NodeRecord node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NodeRecord read(Item item) {
    try {
      return JSON.readValue(item.value(), NodeRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored node " + item.key() + " is malformed", e);
    }
  }
}

package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.StoreKeys;
import dev.portcullis.store.Subscription;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The watches registered on one store, and the delivery of an event to those whose prefix matches. */
public final class Watchers {
  private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

  private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();

  private record Registration(String prefix, Consumer<StoreEvent> listener) {}

  /** Registers a watch; events are delivered in registration order. */
  public Subscription add(String prefix, Consumer<StoreEvent> listener) {
    StoreKeys.requireValidPrefix(prefix);
    requireNonNull(listener, "listener");
    Registration registration = new Registration(prefix, listener);
    registrations.add(registration);
    return () -> registrations.remove(registration);
  }

  /** Whether any watch covers {@code key}, so that work to build its event can be skipped. */
  public boolean interestedIn(String key) {
    for (Registration registration : registrations) {
      if (key.startsWith(registration.prefix())) {
        return true;
      }
    }
    return false;
  }

  /** Delivers {@code event} to every matching watch; one failing listener does not stop the others. */
  public void publish(StoreEvent event) {
    for (Registration registration : registrations) {
      if (event.key().startsWith(registration.prefix())) {
        try {
          registration.listener().accept(event);
        } catch (RuntimeException e) {
          // The key is left out of the log: keys can embed session handles.
          LOG.warn("A store watch listener on prefix '{}' failed", registration.prefix(), e);
        }
      }
    }
  }

  public void clear() {
    registrations.clear();
  }
}

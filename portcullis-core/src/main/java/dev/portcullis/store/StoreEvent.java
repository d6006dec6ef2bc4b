package dev.portcullis.store;

import static java.util.Objects.requireNonNull;

/** A committed change that a {@link Store#watch watch} reports: an item was written or a key removed. */
public sealed interface StoreEvent {

  /** The key this event is about. */
  String key();

  /** The item under {@link Item#key()} was created or replaced. */
  record Put(Item item) implements StoreEvent {
    public Put {
      requireNonNull(item, "item");
    }

    @Override
    public String key() {
      return item.key();
    }
  }

  /** The item under {@code key} was deleted, taken or removed after it expired. */
  record Delete(String key) implements StoreEvent {
    public Delete {
      StoreKeys.requireValid(key);
    }
  }
}

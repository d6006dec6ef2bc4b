package dev.portcullis.store;

/** A registered {@link Store#watch watch}; closing it stops further events (closing twice is harmless). */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}

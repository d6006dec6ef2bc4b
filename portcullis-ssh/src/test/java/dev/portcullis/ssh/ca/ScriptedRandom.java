package dev.portcullis.ssh.ca;

import java.io.Serial;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A SecureRandom whose {@code nextLong()} answers from a script first (to pin serials), then randomly. */
final class ScriptedRandom extends SecureRandom {

  @Serial
  private static final long serialVersionUID = 1L;

  private final Deque<Long> longs;

  ScriptedRandom(List<Long> longs) {
    this.longs = new ArrayDeque<>(longs);
  }

  @Override
  public synchronized long nextLong() {
    Long next = longs.pollFirst();
    return next != null ? next : super.nextLong();
  }
}

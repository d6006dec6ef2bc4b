package dev.portcullis.store.jdbc.internal;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventJson;
import dev.portcullis.audit.AuditStore.ChainVerification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The audit hash chain: how a link is computed, and a check that walks stored rows in sequence order
 * and stops at the first one that does not fit.
 */
public final class AuditChain {
  /** The previous hash of the first event. */
  public static final String GENESIS = "0".repeat(64);

  private long expectedSequence = 1;
  private String previousHash = GENESIS;
  private ChainVerification.Broken broken;

  /** A stored row as verify reads it. */
  record Row(
      long sequence,
      long timeNanos,
      String code,
      String type,
      String user,
      String json,
      String previousHash,
      String hash) {}

  /** The chain head row: the sequence and hash of the newest event. */
  record Head(long sequence, String hash) {}

  /** Hex SHA-256 over the previous hash followed by the event's canonical JSON, both as UTF-8. */
  public static String hash(String previousHash, String json) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(previousHash.getBytes(StandardCharsets.UTF_8));
      digest.update(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Checks the next row; false when the chain is broken there, which {@link #result()} describes. */
  boolean accept(Row row) {
    long sequence = row.sequence();
    if (sequence != expectedSequence) {
      return fail(expectedSequence, "event " + expectedSequence + " is missing");
    }
    if (!previousHash.equals(row.previousHash())) {
      return fail(sequence, "its previous hash does not match the hash of the event before it");
    }
    if (!hash(previousHash, row.json()).equals(row.hash())) {
      return fail(sequence, "its hash does not match its content");
    }
    Optional<String> mismatch = columnMismatch(row);
    if (mismatch.isPresent()) {
      return fail(sequence, mismatch.get());
    }
    previousHash = row.hash();
    expectedSequence++;
    return true;
  }

  /** The outcome once every row up to the head has been accepted. */
  ChainVerification finish(Optional<Head> head) {
    long last = expectedSequence - 1;
    if (head.isEmpty()) {
      return new ChainVerification.Broken(last, "the chain head record is missing");
    }
    if (head.get().sequence() > last) {
      return new ChainVerification.Broken(
          last + 1,
          "events " + (last + 1) + " to " + head.get().sequence() + " are missing from the log");
    }
    if (head.get().sequence() < last || !head.get().hash().equals(previousHash)) {
      return new ChainVerification.Broken(
          last, "the chain head record does not match event " + last);
    }
    return new ChainVerification.Intact(last);
  }

  /** Why the chain broke; only meaningful after {@link #accept} returned false. */
  ChainVerification result() {
    return broken;
  }

  private boolean fail(long sequence, String reason) {
    broken = new ChainVerification.Broken(sequence, reason);
    return false;
  }

  /** The searchable columns are copies of the JSON; a changed copy would hide an event from search. */
  private static Optional<String> columnMismatch(Row row) {
    try {
      AuditEvent event = AuditEventJson.read(row.json());
      if (!event.code().code().equals(row.code())
          || !event.code().type().equals(row.type())
          || !event.user().equals(row.user())
          || Times.eventNanos(event.time()) != row.timeNanos()) {
        return Optional.of("its searchable columns do not match its JSON");
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("its JSON cannot be read: " + e.getMessage());
    }
  }
}

package dev.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place events are recorded: durably in the {@link AuditStore} first, then in the JSON-lines
 * file. {@link #record} returns only when both writes are on disk.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final AuditStore store;
  private final Optional<JsonLinesAuditSink> file;
  private final InstantSource clock;
  private final SecureRandom random;

  public AuditLog(AuditStore store, Optional<JsonLinesAuditSink> file, InstantSource clock, SecureRandom random) {
    this.store = requireNonNull(store, "store");
    this.file = requireNonNull(file, "file");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /** A builder-style start for an event of this kind, stamped with the clock and a fresh id. */
  public Draft event(AuditCode code) {
    return new Draft(code);
  }

  /** Writes the event durably to the store and then the file. */
  public StoredAuditEvent record(AuditEvent event) {
    StoredAuditEvent stored = store.append(event);
    file.ifPresent(sink -> sink.write(stored));
    log.info("audit {} {} user={} resource={} reasons={}", event.code().code(), event.code().type(),
        event.user(), event.resource(), event.reasons());
    return stored;
  }

  public AuditStore store() {
    return store;
  }

  /** Collects an event's fields; {@link #record()} writes it. */
  public final class Draft {
    private final AuditCode code;
    private String user = "";
    private String provider = "";
    private String resource = "";
    private List<String> reasons = List.of();
    private String clientAddress = "";
    private Map<String, String> details = Map.of();

    private Draft(AuditCode code) {
      this.code = code;
    }

    public Draft user(String value) {
      this.user = value;
      return this;
    }

    public Draft provider(String value) {
      this.provider = value;
      return this;
    }

    public Draft resource(String value) {
      this.resource = value;
      return this;
    }

    public Draft reasons(List<String> value) {
      this.reasons = value;
      return this;
    }

    public Draft clientAddress(String value) {
      this.clientAddress = value;
      return this;
    }

    public Draft details(Map<String, String> value) {
      this.details = value;
      return this;
    }

    public StoredAuditEvent record() {
      byte[] id = new byte[12];
      random.nextBytes(id);
      return AuditLog.this.record(new AuditEvent(
          Base64.getUrlEncoder().withoutPadding().encodeToString(id), code, clock.instant(), user, provider,
          resource, reasons, clientAddress, details));
    }
  }
}

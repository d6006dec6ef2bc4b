package dev.portcullis.audit;

/**
 * An audit event as the store keeps it: its position in the log and its link in the hash chain.
 *
 * @param sequence position in the log, starting at 1, with no gaps
 * @param event the event itself
 * @param previousHash hex SHA-256 of the previous stored event, or 64 zeros for the first
 * @param hash hex SHA-256 over {@code previousHash} and the event's canonical JSON
 */
public record StoredAuditEvent(long sequence, AuditEvent event, String previousHash, String hash) {}

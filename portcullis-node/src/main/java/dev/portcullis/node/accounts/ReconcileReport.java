package dev.portcullis.node.accounts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link AccountReconciler#reconcile} changed and what it would not or could not do, for the audit
 * log. Logins in the lists are valid names; keys of {@link #refused()} may be anything a role produced, so
 * quote them ({@link LoginNames#printable(String)}) before writing them to a line-based log.
 *
 * @param created     accounts created
 * @param removed     accounts deleted, with their home directories
 * @param sudoGranted logins whose sudo drop-in was written (new, or replacing one that differed)
 * @param sudoRevoked logins whose sudo drop-in was removed
 * @param refused     login to the reason it was left alone: an invalid or reserved name, an account that
 *                    Portcullis did not create, or sudo asked for such an account
 * @param failed      login to the error of a command that failed; the next reconcile tries again
 */
public record ReconcileReport(List<String> created, List<String> removed, List<String> sudoGranted,
    List<String> sudoRevoked, Map<String, String> refused, Map<String, String> failed) {

  public ReconcileReport {
    created = List.copyOf(Objects.requireNonNull(created, "created"));
    removed = List.copyOf(Objects.requireNonNull(removed, "removed"));
    sudoGranted = List.copyOf(Objects.requireNonNull(sudoGranted, "sudoGranted"));
    sudoRevoked = List.copyOf(Objects.requireNonNull(sudoRevoked, "sudoRevoked"));
    refused = Map.copyOf(Objects.requireNonNull(refused, "refused"));
    failed = Map.copyOf(Objects.requireNonNull(failed, "failed"));
  }

  /** Whether the host changed. */
  public boolean changed() {
    return !created.isEmpty() || !removed.isEmpty() || !sudoGranted.isEmpty() || !sudoRevoked.isEmpty();
  }

  /** Whether everything asked for was done: nothing refused, nothing failed. */
  public boolean complete() {
    return refused.isEmpty() && failed.isEmpty();
  }
}

package dev.portcullis.node.agent;

import dev.portcullis.node.accounts.LoginNames;
import dev.portcullis.node.accounts.ReconcileReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one heartbeat changed on the host.
 *
 * @param accounts        what the account reconciler did; empty when it could not run
 * @param userCaKeys      the number of user CA keys written, when the list changed
 * @param hostCertificate the new host certificate's expiry, when it was renewed
 * @param reload          how sshd was reloaded, when it was
 * @param problems        what failed; the agent retries with backoff while this is not empty
 */
public record HeartbeatResult(Optional<ReconcileReport> accounts, Optional<Integer> userCaKeys,
    Optional<Instant> hostCertificate, Optional<String> reload, List<String> problems) {

  public HeartbeatResult {
    Objects.requireNonNull(accounts, "accounts");
    Objects.requireNonNull(userCaKeys, "userCaKeys");
    Objects.requireNonNull(hostCertificate, "hostCertificate");
    Objects.requireNonNull(reload, "reload");
    problems = List.copyOf(problems);
  }

  /** Whether everything the server asked for was done (refused account names aside). */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** Whether the host changed. */
  public boolean changed() {
    return accounts.map(ReconcileReport::changed).orElse(false) || userCaKeys.isPresent()
        || hostCertificate.isPresent();
  }

  /** One line for the log: what changed, what was refused and what failed; "no changes" otherwise. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    accounts.ifPresent(report -> {
      list(parts, "accounts created", report.created());
      list(parts, "removed", report.removed());
      list(parts, "sudo granted", report.sudoGranted());
      list(parts, "sudo revoked", report.sudoRevoked());
      map(parts, "refused", report.refused());
      map(parts, "failed", report.failed());
    });
    userCaKeys.ifPresent(count -> parts.add("user CA keys updated (" + count + (count == 1 ? " key)" : " keys)")));
    hostCertificate.ifPresent(until -> parts.add("host certificate renewed (valid until " + until + ")"));
    reload.ifPresent(how -> parts.add("sshd reloaded (" + how + ")"));
    problems.forEach(problem -> parts.add("problem: " + problem));
    return parts.isEmpty() ? "no changes" : String.join("; ", parts);
  }

  private static void list(List<String> parts, String label, List<String> logins) {
    if (!logins.isEmpty()) {
      parts.add(label + " " + logins);
    }
  }

  private static void map(List<String> parts, String label, Map<String, String> reasons) {
    if (!reasons.isEmpty()) {
      parts.add(label + " " + reasons.entrySet().stream()
          .map(e -> LoginNames.printable(e.getKey()) + " (" + e.getValue().replace('\n', ' ') + ")")
          .collect(Collectors.joining(", ", "[", "]")));
    }
  }
}

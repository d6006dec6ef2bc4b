package dev.portcullis.bastion;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.locks.LockedUsers;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.users.NodeLogins;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * What the bastion works with: the two CAs (to check users and hosts, and to mint the short-lived certificates
 * it re-originates sessions with), the node and login decisions, locks, audit, session records and recordings.
 *
 * @param userCa the user CA: checks client certificates and signs the bastion's per-session certificates
 * @param hostCa the host CA: certifies the bastion to clients and verifies nodes
 * @param nodeLogins the per-login decision every node makes
 * @param nodes the enrolled nodes, by name
 * @param policy the current policy (reloaded with the configuration)
 * @param lockedUsers the locked users, refreshed every couple of seconds
 * @param audit where session events go
 * @param sessions the records of live and past sessions, and kill requests
 * @param recordings where interactive sessions are recorded
 * @param clock the time certificates and sessions are judged by
 * @param random keys and session ids
 */
public record BastionServices(
    SshCertificateAuthority userCa,
    SshCertificateAuthority hostCa,
    NodeLogins nodeLogins,
    NodeRegistry nodes,
    Supplier<PolicySnapshot> policy,
    LockedUsers lockedUsers,
    AuditLog audit,
    SessionLedger sessions,
    SessionRecorder recordings,
    InstantSource clock,
    SecureRandom random) {

  public BastionServices {
    requireNonNull(userCa, "userCa");
    requireNonNull(hostCa, "hostCa");
    if (userCa.type() != SshCaType.USER || hostCa.type() != SshCaType.HOST) {
      throw new IllegalArgumentException("userCa/hostCa: swapped (expected: the ssh-user CA, then the ssh-host CA)");
    }
    requireNonNull(nodeLogins, "nodeLogins");
    requireNonNull(nodes, "nodes");
    requireNonNull(policy, "policy");
    requireNonNull(lockedUsers, "lockedUsers");
    requireNonNull(audit, "audit");
    requireNonNull(sessions, "sessions");
    requireNonNull(recordings, "recordings");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
  }
}

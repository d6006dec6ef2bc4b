package dev.portcullis.bastion;

import dev.portcullis.bastion.internal.BastionRuntime;
import java.io.IOException;

/**
 * The SSH bastion: users reach enrolled nodes through it with stock OpenSSH ({@code ssh -J HOST:PORT
 * LOGIN@NODE}). It accepts Portcullis user certificates only, authorizes node and login with the same decision
 * nodes make, terminates each session and re-originates it to the node with a two-minute certificate for that
 * user and login, records interactive sessions, audits commands, transfers and forwards, and ends sessions when
 * their user is locked, an admin kills them, or their certificate expires.
 */
public final class Bastion implements AutoCloseable {
  private final BastionRuntime runtime;

  private Bastion(BastionRuntime runtime) {
    this.runtime = runtime;
  }

  /** Starts listening; sessions a previous run left open (a crash) are recorded as ended first. */
  public static Bastion start(BastionSettings settings, BastionServices services) throws IOException {
    return new Bastion(BastionRuntime.start(settings, services));
  }

  /** The port clients connect to. */
  public int port() {
    return runtime.port();
  }

  /** How many sessions are being relayed now. */
  public int liveSessions() {
    return runtime.liveSessions();
  }

  @Override
  public void close() {
    runtime.close();
  }
}

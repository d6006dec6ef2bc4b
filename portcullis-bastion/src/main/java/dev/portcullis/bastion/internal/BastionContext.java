package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.bastion.BastionServices;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.client.session.ClientSession;

/**
 * What the bastion's parts share: the services, the upstream client and its parked connections, the live sessions,
 * and an executor for work that must not run on SSH I/O threads (audit writes, making recordings durable).
 */
final class BastionContext {
  final BastionServices services;
  final Upstream upstream;
  final ParkedConnections<ClientSession> parked;
  final LiveSessions live;
  final ExecutorService background;

  BastionContext(BastionServices services, Upstream upstream, ParkedConnections<ClientSession> parked,
      LiveSessions live, ExecutorService background) {
    this.services = requireNonNull(services, "services");
    this.upstream = requireNonNull(upstream, "upstream");
    this.parked = requireNonNull(parked, "parked");
    this.live = requireNonNull(live, "live");
    this.background = requireNonNull(background, "background");
  }
}

package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;

/**
 * MINA's connection service, except that a refused channel tells the client WHY: MINA sends a generic text with
 * every open failure, and OpenSSH prints that text as the whole explanation ("open failed: administratively
 * prohibited: ..."). Channels leave their explanation here, keyed by the client's channel number.
 */
final class ExplainingConnectionService extends ServerConnectionService {
  private static final AttributeKey<Map<Long, String>> EXPLANATIONS = new AttributeKey<>();

  private ExplainingConnectionService(AbstractServerSession session) throws IOException {
    super(session);
  }

  /** Makes {@code message} the text of the open failure the client's channel {@code sender} is about to get. */
  static void explain(Session session, long sender, String message) {
    Map<Long, String> explanations = session.computeAttributeIfAbsent(EXPLANATIONS, key -> new ConcurrentHashMap<>());
    explanations.put(sender, message);
  }

  @Override
  protected IoWriteFuture sendChannelOpenFailure(Buffer buffer, long sender, int reasonCode, String message,
      String lang) throws IOException {
    Map<Long, String> explanations = getSession().getAttribute(EXPLANATIONS);
    String explained = explanations == null ? null : explanations.remove(sender);
    return super.sendChannelOpenFailure(buffer, sender, reasonCode, explained == null ? message : explained, lang);
  }

  /** Creates this service in place of MINA's default ssh-connection service. */
  static final class Factory extends ServerConnectionServiceFactory {
    @Override
    public Service create(Session session) throws IOException {
      ExplainingConnectionService service = new ExplainingConnectionService((AbstractServerSession) session);
      service.addPortForwardingEventListenerManager(this);
      return service;
    }
  }
}

package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What the end-to-end tests do with real ssh processes: read their output without blocking, and find a free port. */
final class SshProcesses {
  /** Readers of ssh's output block for as long as a session lasts: never on the common pool, which the server uses. */
  static final Executor READERS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ssh-output-", 0).factory());

  private SshProcesses() {}

  /** Everything {@code in} gives until it ends, read in the background. */
  static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      } catch (IOException e) {
        return new byte[0];
      }
    }, READERS);
  }

  /** Waits until the command runs on the node (it printed {@code line}), then drains the rest in the background. */
  static void awaitLine(InputStream in, String line) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    assertThat(firstLine(reader).get(30, TimeUnit.SECONDS)).isEqualTo(line);
    CompletableFuture.runAsync(() -> {
      try {
        reader.transferTo(Writer.nullWriter());
      } catch (IOException e) {
        // The session ended.
      }
    }, READERS);
  }

  /** The first line {@code reader} gives, read in the background; null when it ends first. */
  static CompletableFuture<String> firstLine(BufferedReader reader) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return reader.readLine();
      } catch (IOException e) {
        return null;
      }
    }, READERS);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

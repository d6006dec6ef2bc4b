package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SFTP reader that turns the client's requests into audit events, whatever the chunking. */
class SftpAuditorTest {

  private final List<SftpAuditor.Operation> seen = new ArrayList<>();
  private final SftpAuditor auditor = new SftpAuditor(seen::add);

  @Test
  void reportsOpensWithTheirIntentAndSkipsFileContent() {
    byte[] stream = concat(
        packet(1, new byte[] {0, 0, 0, 3}), // INIT, version 3: not audited
        request(3, 7, str("/etc/passwd"), u32(0x01), u32(0)),
        request(6, 8, str("handle"), u64(0), str("x".repeat(40_000))), // WRITE with content
        request(3, 9, str("upload.bin"), u32(0x02 | 0x08 | 0x10), u32(0)),
        request(18, 10, str("a.txt"), str("b.txt")),
        request(13, 11, str("old.log")));

    auditor.accept(stream, 0, stream.length);

    assertThat(seen).containsExactly(
        new SftpAuditor.Operation("open", "/etc/passwd", "", "read"),
        new SftpAuditor.Operation("open", "upload.bin", "", "write,create,truncate"),
        new SftpAuditor.Operation("rename", "a.txt", "b.txt", ""),
        new SftpAuditor.Operation("remove", "old.log", "", ""));
  }

  @Test
  void readsTheSameWhenTheStreamArrivesOneByteAtATime() {
    byte[] stream = concat(request(14, 1, str("dir"), u32(0)), request(15, 2, str("dir")),
        request(3, 3, str("f"), u32(0x01), u32(0)));
    for (byte b : stream) {
      auditor.accept(new byte[] {b}, 0, 1);
    }
    assertThat(seen).extracting(SftpAuditor.Operation::action).containsExactly("mkdir", "rmdir", "open");
  }

  @Test
  void aMalformedPacketStopsAuditingWithoutThrowing() {
    byte[] stream = concat(packet(3, new byte[] {0, 0, 0, 1, 0x7f, 0, 0, 0}), request(13, 2, str("x")));
    auditor.accept(stream, 0, stream.length);
    assertThat(seen).isEmpty();
  }

  private static byte[] request(int type, int id, byte[]... fields) {
    return packet(type, concat(u32(id), concat(fields)));
  }

  private static byte[] packet(int type, byte[] body) {
    return concat(u32(body.length + 1), new byte[] {(byte) type}, body);
  }

  private static byte[] str(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return concat(u32(bytes.length), bytes);
  }

  private static byte[] u32(long value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  private static byte[] u64(long value) {
    return concat(u32(value >>> 32), u32(value));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

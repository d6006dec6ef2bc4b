package dev.portcullis.bastion.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the client's half of an SFTP conversation as it passes through and reports what it does to files:
 * opens (with read/write/create/truncate intent), removals, renames, directories, links and attribute changes.
 * Data packets (reads and writes of content) are skipped without being buffered, so a transfer of any size
 * costs a few bytes of state. A malformed stream stops the auditing, never the transfer: the node's sftp server
 * is what rejects malformed requests.
 */
final class SftpAuditor {
  /** One file operation, for an {@code sftp} audit event. */
  record Operation(String action, String path, String target, String mode) {}

  private static final int OPEN = 3;
  private static final int SETSTAT = 9;
  private static final int REMOVE = 13;
  private static final int MKDIR = 14;
  private static final int RMDIR = 15;
  private static final int RENAME = 18;
  private static final int SYMLINK = 20;
  private static final int MAX_AUDITED_PACKET = 64 * 1024;
  private static final int READ = 0x01;
  private static final int WRITE = 0x02;
  private static final int APPEND = 0x04;
  private static final int CREATE = 0x08;
  private static final int TRUNCATE = 0x10;

  private final Consumer<Operation> sink;
  private final byte[] header = new byte[5];
  private int headerFill;
  private byte[] packet;
  private int packetType;
  private int packetFill;
  private long skip;
  private boolean broken;

  SftpAuditor(Consumer<Operation> sink) {
    this.sink = sink;
  }

  void accept(byte[] data, int offset, int length) {
    int at = offset;
    int end = offset + length;
    while (at < end && !broken) {
      if (skip > 0) {
        int n = (int) Math.min(skip, end - at);
        skip -= n;
        at += n;
      } else if (packet != null) {
        int n = Math.min(packet.length - packetFill, end - at);
        System.arraycopy(data, at, packet, packetFill, n);
        packetFill += n;
        at += n;
        if (packetFill == packet.length) {
          parse(packet);
          packet = null;
        }
      } else {
        header[headerFill++] = data[at++];
        if (headerFill == header.length) {
          headerFill = 0;
          startPacket();
        }
      }
    }
  }

  private void startPacket() {
    long length = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
        | (header[3] & 0xff);
    int type = header[4] & 0xff;
    if (length < 1) {
      broken = true;
      return;
    }
    long rest = length - 1;
    if (audited(type) && rest <= MAX_AUDITED_PACKET) {
      packet = new byte[(int) rest];
      packetFill = 0;
      if (rest == 0) {
        packet = null;
      } else {
        packetType = type;
      }
    } else {
      skip = rest;
    }
  }


  private static boolean audited(int type) {
    return type == OPEN || type == SETSTAT || type == REMOVE || type == MKDIR || type == RMDIR || type == RENAME
        || type == SYMLINK;
  }

  private void parse(byte[] body) {
    try {
      Reader reader = new Reader(body);
      reader.uint32(); // request id
      switch (packetType) {
        case OPEN -> {
          String path = reader.string();
          long flags = reader.uint32();
          sink.accept(new Operation("open", path, "", mode(flags)));
        }
        case SETSTAT -> sink.accept(new Operation("setstat", reader.string(), "", ""));
        case REMOVE -> sink.accept(new Operation("remove", reader.string(), "", ""));
        case MKDIR -> sink.accept(new Operation("mkdir", reader.string(), "", ""));
        case RMDIR -> sink.accept(new Operation("rmdir", reader.string(), "", ""));
        case RENAME -> sink.accept(new Operation("rename", reader.string(), reader.string(), ""));
        case SYMLINK -> {
          // OpenSSH's sftp-server takes (target, link), the reverse of the draft: report both as sent.
          String first = reader.string();
          sink.accept(new Operation("symlink", first, reader.string(), ""));
        }
        default -> { }
      }
    } catch (IndexOutOfBoundsException e) {
      broken = true;
    }
  }

  private static String mode(long flags) {
    StringBuilder mode = new StringBuilder();
    append(mode, (flags & READ) != 0, "read");
    append(mode, (flags & WRITE) != 0, "write");
    append(mode, (flags & APPEND) != 0, "append");
    append(mode, (flags & CREATE) != 0, "create");
    append(mode, (flags & TRUNCATE) != 0, "truncate");
    return mode.toString();
  }

  private static void append(StringBuilder mode, boolean set, String name) {
    if (set) {
      mode.append(mode.isEmpty() ? "" : ",").append(name);
    }
  }

  /** Big-endian SSH wire fields; throws IndexOutOfBoundsException past the end. */
  private static final class Reader {
    private final byte[] body;
    private int at;

    Reader(byte[] body) {
      this.body = body;
    }

    long uint32() {
      if (at + 4 > body.length) {
        throw new IndexOutOfBoundsException("truncated sftp packet");
      }
      long value = ((body[at] & 0xffL) << 24) | ((body[at + 1] & 0xff) << 16) | ((body[at + 2] & 0xff) << 8)
          | (body[at + 3] & 0xff);
      at += 4;
      return value;
    }

    String string() {
      long length = uint32();
      if (length > body.length - at) {
        throw new IndexOutOfBoundsException("truncated sftp string");
      }
      String value = new String(body, at, (int) length, StandardCharsets.UTF_8);
      at += (int) length;
      return value;
    }
  }
}

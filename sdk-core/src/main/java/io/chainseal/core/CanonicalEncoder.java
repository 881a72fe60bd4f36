package io.chainseal.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Big-endian, length-prefixed writer of the canonical envelope encoding into a growable buffer that
 * can be reused between messages ({@link #reset(int)}), so batch commitments allocate nothing.
 */
final class CanonicalEncoder {
  private byte[] buf;
  private int pos;

  CanonicalEncoder(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** Discards everything after the first {@code keep} bytes. */
  void reset(int keep) {
    pos = keep;
  }

  byte[] buffer() {
    return buf;
  }

  int size() {
    return pos;
  }

  private void room(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  void u8(int v) {
    room(1);
    buf[pos++] = (byte) v;
  }

  void u32(int v) {
    room(4);
    putU32(pos, v);
    pos += 4;
  }

  private void putU32(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  void i64(long v) {
    room(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  void raw(byte[] bytes, int offset, int length) {
    room(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
  }

  void hash(Hash32 hash) {
    room(Hash32.LENGTH);
    hash.copyTo(buf, pos);
    pos += Hash32.LENGTH;
  }

  void salt(Salt salt) {
    room(Salt.LENGTH);
    salt.copyTo(buf, pos);
    pos += Salt.LENGTH;
  }

  void bytes(byte[] bytes) {
    u32(bytes.length);
    raw(bytes, 0, bytes.length);
  }

  /** UTF-8 with a u32 length prefix; ASCII (the common case for ids) is written without allocating. */
  void string(String s) {
    int n = s.length();
    room(4 + n);
    int start = pos;
    int at = pos + 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      buf[at++] = (byte) c;
    }
    putU32(start, n);
    pos = at;
  }

  void ref(@Nullable MessageRef ref) {
    if (ref == null) {
      u8(0);
    } else {
      u8(1);
      string(ref.conversationId());
      string(ref.messageId());
    }
  }

  byte[] toByteArray() {
    return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
  }
}

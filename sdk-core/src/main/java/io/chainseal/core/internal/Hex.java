package io.chainseal.core.internal;

import org.jspecify.annotations.Nullable;

/** Lowercase hex encoding and strict decoding. Not API. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  public static String encode(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xff;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0f];
    }
    return new String(out);
  }

  /**
   * Decodes hex digits (either case, no prefix).
   *
   * @return the bytes, or {@code null} if {@code text} has an odd length or a non-hex character
   */
  public static byte @Nullable [] decodeOrNull(CharSequence text) {
    int length = text.length();
    if ((length & 1) != 0) {
      return null;
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(text.charAt(2 * i), 16);
      int lo = Character.digit(text.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(2 * i) > 'f' || text.charAt(2 * i + 1) > 'f') {
        return null;
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** Strips one leading {@code 0x} or {@code 0X}. */
  public static String strip0x(String text) {
    return text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
  }
}

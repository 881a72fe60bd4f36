package io.chainseal.store;

/** Byte scans of database files, for the erasure tests. */
final class Bytes {
  private Bytes() {}

  /** Whether {@code needle} occurs anywhere in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

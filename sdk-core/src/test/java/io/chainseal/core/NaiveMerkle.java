package io.chainseal.core;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive RFC 9162 §2.1 implementation, written straight from the RFC's recursive
 * definitions, to cross-check the fast one. Slow (recomputes every subtree) and obviously correct.
 */
final class NaiveMerkle {
  private NaiveMerkle() {}

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** MTH(D[n]) over leaf hashes (leaves already hashed with the 0x00 prefix). */
  static byte[] mth(List<byte[]> leafHashes) {
    int n = leafHashes.size();
    if (n == 1) {
      return leafHashes.get(0);
    }
    int k = largestPowerOfTwoBelow(n);
    return sha256(new byte[] {1}, mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n)));
  }

  static List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  static byte[] leafHash(byte[] data) {
    return sha256(new byte[] {0}, data);
  }

  static boolean samePath(List<byte[]> expected, List<Hash32> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!Arrays.equals(expected.get(i), actual.get(i).bytes())) {
        return false;
      }
    }
    return true;
  }
}

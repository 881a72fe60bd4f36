package io.chainseal.core.internal;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 (Ethereum's hash, not FIPS SHA3-256), from Bouncy Castle. Not API. */
public final class Keccak {
  private Keccak() {}

  public static byte[] keccak256(byte[]... parts) {
    KeccakDigest digest = new KeccakDigest(256);
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}

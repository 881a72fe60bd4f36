package io.chainseal.chain;

import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One signed transaction for an intent, journaled before it is broadcast: every attempt stays known,
 * because any live one may be the one that gets mined. An attempt is retired when it can never be
 * mined any more (it reverted, or its nonce went to another transaction).
 *
 * @param nonce the sender's nonce
 * @param hash the transaction hash
 * @param raw the signed bytes (copied in and out)
 * @param maxFeePerGas the most paid per gas, in wei
 * @param maxPriorityFeePerGas the tip per gas, in wei
 * @param gasLimit the gas limit
 * @param retiredBecause why it can no longer be mined, or null while it is live
 */
public record SignedAttempt(long nonce, Hash32 hash, byte[] raw, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas,
    BigInteger gasLimit, @Nullable String retiredBecause) {
  public SignedAttempt {
    Objects.requireNonNull(hash, "hash == null");
    Objects.requireNonNull(maxFeePerGas, "maxFeePerGas == null");
    Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas == null");
    Objects.requireNonNull(gasLimit, "gasLimit == null");
    raw = raw.clone();
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce < 0");
    }
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public boolean live() {
    return retiredBecause == null;
  }

  /** This attempt, retired for {@code reason}. */
  public SignedAttempt retired(String reason) {
    return new SignedAttempt(nonce, hash, raw, maxFeePerGas, maxPriorityFeePerGas, gasLimit, Objects.requireNonNull(reason));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SignedAttempt other && nonce == other.nonce && hash.equals(other.hash) && Arrays.equals(raw, other.raw)
        && maxFeePerGas.equals(other.maxFeePerGas) && maxPriorityFeePerGas.equals(other.maxPriorityFeePerGas)
        && gasLimit.equals(other.gasLimit) && Objects.equals(retiredBecause, other.retiredBecause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nonce, hash, Arrays.hashCode(raw), retiredBecause);
  }

  @Override
  public String toString() {
    return "SignedAttempt[nonce " + nonce + ", " + hash.hex0x() + ", max fee " + maxFeePerGas
        + (retiredBecause == null ? "" : ", retired: " + retiredBecause) + "]";
  }
}

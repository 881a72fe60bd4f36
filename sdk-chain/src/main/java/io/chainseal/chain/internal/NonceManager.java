package io.chainseal.chain.internal;

/**
 * Hands out consecutive transaction nonces for one sender. Safe under concurrency: two callers never
 * get the same nonce. After a restart it is {@link #reset} to the larger of the chain's pending
 * transaction count and the journal's highest recorded nonce + 1, so no nonce is reused or skipped.
 */
public final class NonceManager {
  private long next;

  public synchronized void reset(long next) {
    if (next < 0) {
      throw new IllegalArgumentException("nonce < 0");
    }
    this.next = next;
  }

  public synchronized long next() {
    return next++;
  }

  public synchronized long peek() {
    return next;
  }
}

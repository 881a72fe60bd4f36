package io.chainseal.chain;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a caller holds for a submitted {@link TransactionRequest}: its futures complete when the intent
 * is first mined and first confirmed (on the sender's callback executor), or fail with a
 * {@link TransactionFailedException} if it is given up. A reorganization after that is reported to
 * {@link TransactionListener}s; the futures keep their first outcome.
 */
public final class TransactionHandle {
  private final String id;
  final CompletableFuture<ChainReceipt> mined = new CompletableFuture<>();
  final CompletableFuture<ChainReceipt> confirmed = new CompletableFuture<>();
  volatile IntentState state;

  TransactionHandle(String id, IntentState state) {
    this.id = Objects.requireNonNull(id, "id == null");
    this.state = state;
  }

  public String id() {
    return id;
  }

  /** The intent's state as the sender last saw it. */
  public IntentState state() {
    return state;
  }

  /** Completes with the receipt when a transaction of this intent is first mined with status 1. */
  public CompletableFuture<ChainReceipt> whenMined() {
    return mined.copy();
  }

  /** Completes with the receipt once it has the sender's confirmations. */
  public CompletableFuture<ChainReceipt> whenConfirmed() {
    return confirmed.copy();
  }

  @Override
  public String toString() {
    return "TransactionHandle[" + id + ", " + state + "]";
  }
}

package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TransactionJournal} in memory, for fast tests: it passes {@code TransactionJournalContract},
 * and it can fail a write on demand (as a database that goes away) or refuse every write (as a journal
 * another process now leads). "Durable" here means: kept as long as this object is.
 */
public final class InMemoryTransactionJournal implements TransactionJournal {
  private final Map<String, TransactionIntent> intents = new LinkedHashMap<>();
  private final List<Predicate<String>> failures = new ArrayList<>();
  private boolean fenced;

  /** The next write whose operation name ({@code recordIntent}, {@code recordAttempt}, …) matches fails, once. */
  public synchronized InMemoryTransactionJournal failNext(Predicate<String> operation) {
    failures.add(operation);
    return this;
  }

  /** From now on every write throws {@link LeaseLostException}, as when another process took the lead. */
  public synchronized InMemoryTransactionJournal fence() {
    fenced = true;
    return this;
  }

  private void write(String operation) {
    if (fenced) {
      throw new LeaseLostException(operation + ": another process leads this journal");
    }
    for (int i = 0; i < failures.size(); i++) {
      if (failures.get(i).test(operation)) {
        failures.remove(i);
        throw new JournalException(operation + " failed: the database went away (staged)", true);
      }
    }
  }

  @Override
  public synchronized TransactionIntent recordIntent(TransactionIntent intent) {
    TransactionIntent existing = intents.get(intent.id());
    if (existing != null) {
      return existing;
    }
    write("recordIntent");
    intents.put(intent.id(), intent);
    return intent;
  }

  /** Stores an intent even while fenced: what another process journaled before this one was fenced off. */
  public synchronized void recordIntentUnfenced(TransactionIntent intent) {
    intents.putIfAbsent(intent.id(), intent);
  }

  @Override
  public synchronized void recordAttempt(String id, SignedAttempt attempt) {
    write("recordAttempt");
    TransactionIntent intent = require(id);
    if (intent.attempts().stream().anyMatch(a -> a.hash().equals(attempt.hash()))) {
      return;
    }
    List<SignedAttempt> attempts = new ArrayList<>(intent.attempts());
    attempts.add(attempt);
    intents.put(id, intent.withAttempts(attempts).withState(IntentState.SENT, null, intent.reverts()));
  }

  @Override
  public synchronized void retireAttempt(String id, Hash32 hash, String reason) {
    write("retireAttempt");
    TransactionIntent intent = require(id);
    List<SignedAttempt> attempts = new ArrayList<>();
    for (SignedAttempt attempt : intent.attempts()) {
      attempts.add(attempt.hash().equals(hash) && attempt.live() ? attempt.retired(reason) : attempt);
    }
    intents.put(id, intent.withAttempts(attempts));
  }

  @Override
  public synchronized void recordState(String id, IntentState state, @Nullable MinedTransaction mined, int reverts) {
    write("recordState");
    intents.put(id, require(id).withState(state, mined, reverts));
  }

  private TransactionIntent require(String id) {
    TransactionIntent intent = intents.get(id);
    if (intent == null) {
      throw new IllegalStateException("no intent " + id);
    }
    return intent;
  }

  @Override
  public synchronized Optional<TransactionIntent> intent(String id) {
    return Optional.ofNullable(intents.get(id));
  }

  @Override
  public synchronized List<TransactionIntent> openIntents(EvmAddress sender) {
    return intents.values().stream().filter(i -> i.sender().equals(sender) && i.state().isOpen()).toList();
  }

  @Override
  public synchronized List<TransactionIntent> confirmedSince(EvmAddress sender, long fromBlock) {
    return intents.values().stream().filter(i -> i.sender().equals(sender) && i.state() == IntentState.CONFIRMED
        && i.mined() != null && i.mined().blockNumber() >= fromBlock).toList();
  }

  @Override
  public synchronized OptionalLong highestNonce(EvmAddress sender) {
    return intents.values().stream().filter(i -> i.sender().equals(sender)).flatMap(i -> i.attempts().stream())
        .mapToLong(SignedAttempt::nonce).max();
  }
}

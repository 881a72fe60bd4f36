package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A transaction that must take effect exactly once, as the {@link TransactionJournal} keeps it: what
 * to send (recipient, call data, value), where it is in its life, every signed attempt, and where it
 * was mined. Immutable; {@code with…} methods return changed copies.
 *
 * @param id the caller's idempotency key (e.g. {@code anchor/17}, {@code payment/…}); at most 200 characters
 * @param sender the sending account
 * @param to the recipient or contract
 * @param data call data (copied in and out)
 * @param value wei sent along
 * @param state where it is in its life
 * @param attempts every attempt signed for it, oldest first
 * @param mined where it was mined, once {@link IntentState#MINED} or {@link IntentState#CONFIRMED}
 * @param reverts how many of its mined attempts reverted
 * @param createdAt when it was accepted
 * @param createdAtBlock the chain head when it was accepted: nothing can have applied it before
 */
public record TransactionIntent(String id, EvmAddress sender, EvmAddress to, byte[] data, BigInteger value, IntentState state,
    List<SignedAttempt> attempts, @Nullable MinedTransaction mined, int reverts, Instant createdAt, long createdAtBlock) {
  public static final int MAX_ID_LENGTH = 200;

  public TransactionIntent {
    Objects.requireNonNull(id, "id == null");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("an intent id is 1-" + MAX_ID_LENGTH + " characters, got " + id.length());
    }
    Objects.requireNonNull(sender, "sender == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("value must not be negative");
    }
    data = data.clone();
    attempts = List.copyOf(attempts);
  }

  /** A new intent, PENDING, with no attempts. */
  public static TransactionIntent create(String id, EvmAddress sender, EvmAddress to, byte[] data, BigInteger value,
      Instant createdAt, long createdAtBlock) {
    return new TransactionIntent(id, sender, to, data, value, IntentState.PENDING, List.of(), null, 0, createdAt, createdAtBlock);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public Optional<MinedTransaction> minedTransaction() {
    return Optional.ofNullable(mined);
  }

  /** Attempts that may still be mined. */
  public List<SignedAttempt> liveAttempts() {
    return attempts.stream().filter(SignedAttempt::live).toList();
  }

  /** The newest live attempt, if any. */
  public Optional<SignedAttempt> current() {
    List<SignedAttempt> live = liveAttempts();
    return live.isEmpty() ? Optional.empty() : Optional.of(live.get(live.size() - 1));
  }

  /** Whether {@code other} asks for the same transaction (recipient, data, value, sender). */
  public boolean sameRequest(TransactionIntent other) {
    return sender.equals(other.sender) && to.equals(other.to) && Arrays.equals(data, other.data) && value.equals(other.value);
  }

  public TransactionIntent withState(IntentState newState, @Nullable MinedTransaction newMined, int newReverts) {
    return new TransactionIntent(id, sender, to, data, value, newState, attempts, newMined, newReverts, createdAt, createdAtBlock);
  }

  public TransactionIntent withAttempts(List<SignedAttempt> newAttempts) {
    return new TransactionIntent(id, sender, to, data, value, state, newAttempts, mined, reverts, createdAt, createdAtBlock);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TransactionIntent other && id.equals(other.id) && sameRequest(other) && state == other.state
        && attempts.equals(other.attempts) && Objects.equals(mined, other.mined) && reverts == other.reverts
        && createdAt.equals(other.createdAt) && createdAtBlock == other.createdAtBlock;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, state, attempts, mined, reverts);
  }

  @Override
  public String toString() {
    return "TransactionIntent[" + id + ", " + state + ", to " + to + ", " + attempts.size() + " attempts"
        + (mined == null ? "" : ", mined " + mined.hash().hex0x() + " in block " + mined.blockNumber()) + "]";
  }
}

package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A batch as the journal keeps it, through its life: created (members fixed, root computed), sent
 * (signed transaction recorded before broadcast), anchored (receipt seen), confirmed.
 *
 * @param sequence the publisher's batch number, from 1
 * @param root the batch tree's root
 * @param treeSize number of messages
 * @param previousRoot root of batch {@code sequence - 1} (zero for the first)
 * @param state where the batch is in its life
 * @param createdAt when it was created
 * @param transaction the signed anchoring transaction, once sent
 * @param anchor where it was anchored, once its receipt was seen
 * @param blockHash the hash of the anchoring block, once anchored
 */
public record BatchRecord(long sequence, Hash32 root, long treeSize, Hash32 previousRoot, State state, Instant createdAt,
    @Nullable SentTransaction transaction, @Nullable AnchorReference anchor, @Nullable Hash32 blockHash) {

  /** Where a batch is in its life. */
  public enum State { CREATED, SENT, ANCHORED, CONFIRMED }

  /**
   * A signed transaction as broadcast.
   *
   * @param nonce the sender's nonce
   * @param hash the transaction hash
   * @param raw the signed bytes, to broadcast again after a restart
   */
  public record SentTransaction(long nonce, Hash32 hash, byte[] raw) {
    public SentTransaction {
      Objects.requireNonNull(hash, "hash == null");
      raw = raw.clone();
    }

    @Override
    public byte[] raw() {
      return raw.clone();
    }
  }

  public BatchRecord {
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(previousRoot, "previousRoot == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    if (sequence < 1 || treeSize < 1) {
      throw new IllegalArgumentException("sequence and treeSize must be at least 1");
    }
  }

  public Optional<SentTransaction> sent() {
    return Optional.ofNullable(transaction);
  }

  public Optional<AnchorReference> anchored() {
    return Optional.ofNullable(anchor);
  }
}

package io.chainseal.core;

import io.chainseal.core.internal.TreeLevels;
import java.util.List;
import java.util.Objects;

/**
 * A per-conversation, append-only RFC 9162 Merkle log over message commitments. It proves that a
 * message is the i-th of its conversation ({@link #inclusionProof}), and that a later view of the log
 * extends an earlier one — no earlier message removed, changed or reordered
 * ({@link #consistencyProof}, {@link #verifyExtension}).
 *
 * <p>The log keeps the commitments in memory (about 64 bytes each); persist them yourself and
 * rebuild with {@link #restore}. Thread-safe.
 */
public final class ConversationLog {
  private final String conversationId;
  private final TreeLevels levels = new TreeLevels();

  public ConversationLog(String conversationId) {
    this.conversationId = Text.requireId(conversationId, "conversationId");
  }

  /** Rebuilds a log from its commitments, in order. */
  public static ConversationLog restore(String conversationId, List<Hash32> commitments) {
    ConversationLog log = new ConversationLog(conversationId);
    for (Hash32 commitment : commitments) {
      log.append(commitment);
    }
    return log;
  }

  public String conversationId() {
    return conversationId;
  }

  /** Appends a message's commitment; returns its 0-based position in the conversation. */
  public synchronized long append(Hash32 commitment) {
    Objects.requireNonNull(commitment, "commitment == null");
    long index = levels.size();
    levels.append(commitment.bytes(), 0);
    return index;
  }

  public synchronized long size() {
    return levels.size();
  }

  /** The log's current size and root. */
  public synchronized LogCheckpoint checkpoint() {
    requireNonEmpty();
    return new LogCheckpoint(conversationId, levels.size(), levels.root(levels.size()));
  }

  /** The root of the log when it had {@code size} messages. */
  public synchronized Hash32 rootAt(long size) {
    requireSize(size);
    return levels.root(size);
  }

  /** The commitment at {@code index}. */
  public synchronized Hash32 commitment(long index) {
    Objects.checkIndex(index, levels.size());
    return Hash32.of(levels.leaf(index));
  }

  /** Proof that the message at {@code index} is in the log of {@code treeSize} messages. */
  public synchronized InclusionProof inclusionProof(long index, long treeSize) {
    requireSize(treeSize);
    Objects.checkIndex(index, treeSize);
    return new InclusionProof(index, treeSize, levels.inclusionPath(index, treeSize));
  }

  /** Proof that the log of {@code toSize} messages extends the log of {@code fromSize}. */
  public synchronized ConsistencyProof consistencyProof(long fromSize, long toSize) {
    requireSize(toSize);
    if (fromSize < 1 || fromSize > toSize) {
      throw new IllegalArgumentException("fromSize must be in [1, " + toSize + "], got " + fromSize);
    }
    return new ConsistencyProof(fromSize, toSize, levels.consistencyPath(fromSize, toSize));
  }

  /**
   * Checks that {@code newer} extends {@code older}: same conversation, not smaller, and the
   * consistency proof between their sizes holds for their roots.
   */
  public static ProofCheck verifyExtension(LogCheckpoint older, LogCheckpoint newer, ConsistencyProof proof) {
    if (older == null || newer == null || proof == null) {
      return ProofCheck.fail("missing checkpoint or proof");
    }
    if (!older.conversationId().equals(newer.conversationId())) {
      return ProofCheck.fail("checkpoints are of different conversations: " + older.conversationId() + ", " + newer.conversationId());
    }
    if (proof.fromSize() != older.size() || proof.toSize() != newer.size()) {
      return ProofCheck.fail("proof is for sizes " + proof.fromSize() + " -> " + proof.toSize() + ", checkpoints are "
          + older.size() + " -> " + newer.size());
    }
    return MerkleVerifier.verifyConsistency(proof, older.root(), newer.root());
  }

  private void requireSize(long size) {
    if (size < 1 || size > levels.size()) {
      throw new IllegalArgumentException("size must be in [1, " + levels.size() + "], got " + size);
    }
  }

  private void requireNonEmpty() {
    if (levels.size() == 0) {
      throw new IllegalStateException("the log of " + conversationId + " is empty");
    }
  }

  @Override
  public synchronized String toString() {
    return "ConversationLog[" + conversationId + ", size=" + levels.size() + "]";
  }
}

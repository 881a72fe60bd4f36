package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A batch as the journal keeps it. Its transaction lives in the transaction journal, as intent
 * {@code anchor/<sequence>} (see {@link #intentId(long)}). Transitions (docs/anchoring.md has the table):
 * CREATED (members fixed, root computed, checkpoint signed) → SENT (its anchoring intent submitted) →
 * ANCHORED (mined) → CONFIRMED; ANCHORED or CONFIRMED → SENT when a reorganization removes the anchor.
 *
 * @param sequence the publisher's batch number, from 1
 * @param root the batch tree's root
 * @param treeSize number of messages
 * @param previousRoot root of batch {@code sequence - 1} (zero for the first)
 * @param state where the batch is in its life
 * @param createdAt when it was created (the journal's clock)
 * @param anchor where it was anchored, once ANCHORED or CONFIRMED
 */
public record BatchRecord(long sequence, Hash32 root, long treeSize, Hash32 previousRoot, State state, Instant createdAt,
    @Nullable AnchorReference anchor) {

  /** Where a batch is in its life. */
  public enum State { CREATED, SENT, ANCHORED, CONFIRMED }

  public BatchRecord {
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(previousRoot, "previousRoot == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    if (sequence < 1 || treeSize < 1) {
      throw new IllegalArgumentException("sequence and treeSize must be at least 1");
    }
    if ((state == State.ANCHORED || state == State.CONFIRMED) != (anchor != null)) {
      throw new IllegalArgumentException("a batch has an anchor exactly when ANCHORED or CONFIRMED, got " + state
          + (anchor == null ? " without one" : " with one"));
    }
  }

  public Optional<AnchorReference> anchored() {
    return Optional.ofNullable(anchor);
  }

  /** The batch in {@code newState}, anchored at {@code newAnchor} (null unless ANCHORED or CONFIRMED). */
  public BatchRecord with(State newState, @Nullable AnchorReference newAnchor) {
    return new BatchRecord(sequence, root, treeSize, previousRoot, newState, createdAt, newAnchor);
  }

  /** The transaction journal's id of the intent that anchors batch {@code sequence}. */
  public static String intentId(long sequence) {
    return "anchor/" + sequence;
  }

  /** The batch number of an anchoring intent id, or -1 if {@code id} is not one. */
  public static long sequenceOf(String id) {
    if (!id.startsWith("anchor/")) {
      return -1;
    }
    try {
      return Long.parseLong(id.substring(7));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.chainseal.core;

import java.util.Objects;

/**
 * A message's place in its conversation log: an inclusion proof of its commitment in the log of
 * {@code proof.treeSize()} messages with root {@code root}.
 *
 * @param proof inclusion proof in the conversation log (its leaf index is the message's position)
 * @param root the conversation log's root at {@code proof.treeSize()}
 */
public record LogPosition(InclusionProof proof, Hash32 root) {
  public LogPosition {
    Objects.requireNonNull(proof, "proof == null");
    Objects.requireNonNull(root, "root == null");
  }

  /** The message's 0-based position in its conversation. */
  public long index() {
    return proof.leafIndex();
  }
}

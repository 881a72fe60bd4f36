package io.chainseal.core;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 §2.1.3 inclusion proof: the audit path from leaf {@code leafIndex} to the root of a
 * tree of {@code treeSize} leaves, nearest sibling first. Immutable. Check it with
 * {@link MerkleVerifier#verifyInclusion}.
 *
 * @param leafIndex 0-based index of the leaf
 * @param treeSize number of leaves in the tree
 * @param path sibling subtree hashes from the leaf upwards
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash32> path) {
  public InclusionProof {
    path = List.copyOf(Objects.requireNonNull(path, "path == null"));
  }
}

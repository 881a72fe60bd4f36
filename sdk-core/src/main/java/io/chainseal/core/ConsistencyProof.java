package io.chainseal.core;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 §2.1.4 consistency proof that a tree of {@code toSize} leaves extends the tree of its
 * first {@code fromSize} leaves: nothing in the older tree was removed, changed or reordered.
 * Immutable. Check it with {@link MerkleVerifier#verifyConsistency}.
 *
 * @param fromSize size of the older tree
 * @param toSize size of the newer tree
 * @param path the subtree hashes of RFC 9162's PROOF(fromSize, D[toSize])
 */
public record ConsistencyProof(long fromSize, long toSize, List<Hash32> path) {
  public ConsistencyProof {
    path = List.copyOf(Objects.requireNonNull(path, "path == null"));
  }
}

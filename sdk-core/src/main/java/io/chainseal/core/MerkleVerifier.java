package io.chainseal.core;

import io.chainseal.core.internal.NodeHasher;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stateless RFC 9162 proof verification. Each check computes the root from the proof, then
 * compares it with the expected root, and reports what failed (with got/want on a mismatch).
 * Hostile input never throws: every precondition (0 ≤ index &lt; size, path length, null elements) is
 * checked first and reported as an invalid {@link ProofCheck}.
 */
public final class MerkleVerifier {
  /** No valid proof for a tree of fewer than 2^63 leaves has more hashes than this. */
  public static final int MAX_PATH_LENGTH = 64;

  private MerkleVerifier() {}

  /**
   * Checks that {@code leafHash} is leaf {@code leafIndex} of the tree of {@code treeSize} leaves
   * whose root is {@code expectedRoot} (RFC 9162 §2.1.3.2).
   */
  public static ProofCheck verifyInclusion(
      @Nullable Hash32 leafHash, long leafIndex, long treeSize, @Nullable List<Hash32> path, @Nullable Hash32 expectedRoot) {
    if (leafHash == null || path == null || expectedRoot == null) {
      return ProofCheck.fail("missing leaf hash, path or root");
    }
    byte[] computed = rootFromInclusion(leafHash, leafIndex, treeSize, path);
    if (computed == null) {
      return ProofCheck.fail(inclusionShapeProblem(leafIndex, treeSize, path));
    }
    if (!expectedRoot.equalsAt(computed, 0)) {
      return ProofCheck.fail("root mismatch: proof gives " + Hash32.of(computed) + ", expected " + expectedRoot);
    }
    return ProofCheck.ok();
  }

  /** Checks {@code proof} for {@code leafHash} against {@code expectedRoot}. */
  public static ProofCheck verifyInclusion(@Nullable Hash32 leafHash, @Nullable InclusionProof proof, @Nullable Hash32 expectedRoot) {
    if (proof == null) {
      return ProofCheck.fail("missing proof");
    }
    return verifyInclusion(leafHash, proof.leafIndex(), proof.treeSize(), proof.path(), expectedRoot);
  }

  /**
   * The root that an inclusion proof leads to, or {@code null} if the proof cannot be valid for any
   * root (index out of range, wrong path length, null element).
   */
  public static @Nullable Hash32 rootFromInclusionProof(Hash32 leafHash, long leafIndex, long treeSize, List<Hash32> path) {
    byte[] root = rootFromInclusion(leafHash, leafIndex, treeSize, path);
    return root == null ? null : Hash32.of(root);
  }

  private static byte @Nullable [] rootFromInclusion(Hash32 leafHash, long leafIndex, long treeSize, List<Hash32> path) {
    if (leafIndex < 0 || treeSize < 1 || leafIndex >= treeSize || path.size() > MAX_PATH_LENGTH) {
      return null;
    }
    NodeHasher hasher = new NodeHasher();
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash.bytes();
    for (Hash32 p : path) {
      if (sn == 0 || p == null) {
        return null;
      }
      byte[] sibling = p.bytes();
      if ((fn & 1) == 1 || fn == sn) {
        hasher.node(sibling, 0, r, 0, r, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        hasher.node(r, 0, sibling, 0, r, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? r : null;
  }

  private static String inclusionShapeProblem(long leafIndex, long treeSize, List<Hash32> path) {
    if (treeSize < 1) {
      return "tree size must be at least 1, got " + treeSize;
    }
    if (leafIndex < 0 || leafIndex >= treeSize) {
      return "leaf index " + leafIndex + " is outside a tree of size " + treeSize;
    }
    if (path.size() > MAX_PATH_LENGTH) {
      return "path has " + path.size() + " hashes, more than " + MAX_PATH_LENGTH;
    }
    if (hasNull(path)) {
      return "path has a missing element";
    }
    return "path of " + path.size() + " hashes does not fit leaf " + leafIndex + " of a tree of size " + treeSize;
  }

  /**
   * Checks that the tree of {@code toSize} leaves with root {@code newRoot} extends the tree of
   * {@code fromSize} leaves with root {@code oldRoot} (RFC 9162 §2.1.4.2). Equal sizes need an empty
   * path and equal roots.
   */
  public static ProofCheck verifyConsistency(
      long fromSize, long toSize, @Nullable List<Hash32> path, @Nullable Hash32 oldRoot, @Nullable Hash32 newRoot) {
    if (path == null || oldRoot == null || newRoot == null) {
      return ProofCheck.fail("missing path or root");
    }
    if (fromSize < 1 || toSize < fromSize) {
      return ProofCheck.fail("sizes must satisfy 1 <= from <= to, got from " + fromSize + ", to " + toSize);
    }
    if (path.size() > MAX_PATH_LENGTH) {
      return ProofCheck.fail("path has " + path.size() + " hashes, more than " + MAX_PATH_LENGTH);
    }
    if (hasNull(path)) {
      return ProofCheck.fail("path has a missing element");
    }
    if (fromSize == toSize) {
      if (!path.isEmpty()) {
        return ProofCheck.fail("equal sizes need an empty path, got " + path.size() + " hashes");
      }
      return oldRoot.equals(newRoot) ? ProofCheck.ok()
          : ProofCheck.fail("equal sizes but different roots: " + oldRoot + " and " + newRoot);
    }
    if (path.isEmpty()) {
      return ProofCheck.fail("empty path for different sizes");
    }
    NodeHasher hasher = new NodeHasher();
    int next = 0;
    byte[] first;
    if (Long.bitCount(fromSize) == 1) {
      first = oldRoot.bytes();
    } else {
      first = path.get(next++).bytes();
    }
    long fn = fromSize - 1;
    long sn = toSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = first.clone();
    byte[] sr = first.clone();
    for (; next < path.size(); next++) {
      if (sn == 0) {
        return ProofCheck.fail("path is longer than sizes " + fromSize + " -> " + toSize + " allow");
      }
      byte[] c = path.get(next).bytes();
      if ((fn & 1) == 1 || fn == sn) {
        hasher.node(c, 0, fr, 0, fr, 0);
        hasher.node(c, 0, sr, 0, sr, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        hasher.node(sr, 0, c, 0, sr, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return ProofCheck.fail("path is shorter than sizes " + fromSize + " -> " + toSize + " need");
    }
    if (!oldRoot.equalsAt(fr, 0)) {
      return ProofCheck.fail("old root mismatch: proof gives " + Hash32.of(fr) + ", expected " + oldRoot);
    }
    if (!newRoot.equalsAt(sr, 0)) {
      return ProofCheck.fail("new root mismatch: proof gives " + Hash32.of(sr) + ", expected " + newRoot);
    }
    return ProofCheck.ok();
  }

  /** Checks {@code proof} between {@code oldRoot} and {@code newRoot}. */
  public static ProofCheck verifyConsistency(@Nullable ConsistencyProof proof, @Nullable Hash32 oldRoot, @Nullable Hash32 newRoot) {
    if (proof == null) {
      return ProofCheck.fail("missing proof");
    }
    return verifyConsistency(proof.fromSize(), proof.toSize(), proof.path(), oldRoot, newRoot);
  }

  private static boolean hasNull(List<Hash32> path) {
    // List.contains(null) throws on immutable lists; a hostile list may hold nulls.
    for (Hash32 element : path) {
      if (element == null) {
        return true;
      }
    }
    return false;
  }
}

package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published RFC 6962 reference tree: roots, inclusion and consistency proofs, both ways. */
class MerkleRfc6962VectorsTest {
  private static final JsonNode VECTORS = Vectors.load("rfc6962.json");

  private static List<byte[]> leaves(int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leaves.add(Vectors.hex(VECTORS.get("leaves").get(i).asText()));
    }
    return leaves;
  }

  private static Hash32 root(long size) {
    return Hash32.fromHex(VECTORS.get("roots").get(Long.toString(size)).asText());
  }

  @Test
  void rootsOfEveryPrefixMatchThePublishedRoots() {
    for (int n = 1; n <= 8; n++) {
      MerkleTree tree = MerkleTree.ofLeafData(leaves(n));
      assertEquals(root(n), tree.root(), "size " + n);
      MerkleAccumulator accumulator = new MerkleAccumulator();
      leaves(n).forEach(accumulator::appendData);
      assertEquals(root(n), accumulator.root(), "streaming size " + n);
      assertEquals(root(n), MerkleTree.ofLeafData(leaves(8)).rootAt(n), "rootAt " + n);
    }
  }

  @Test
  void inclusionProofsAreGeneratedAndVerifiedAsPublished() {
    for (JsonNode vector : VECTORS.get("inclusion")) {
      int index = vector.get("leafIndex").asInt();
      int size = vector.get("treeSize").asInt();
      List<Hash32> expected = Vectors.hashes(vector.get("path"));
      MerkleTree tree = MerkleTree.ofLeafData(leaves(size));
      assertEquals(expected, tree.inclusionProof(index).path(), "generate " + index + "/" + size);
      Hash32 leaf = MerkleTree.leafHash(leaves(size).get(index));
      ProofCheck check = MerkleVerifier.verifyInclusion(leaf, index, size, expected, root(size));
      assertTrue(check.valid(), check.reason());
      assertFalse(MerkleVerifier.verifyInclusion(leaf, index, size, expected, root(size == 1 ? 2 : 1)).valid());
    }
  }

  @Test
  void consistencyProofsAreGeneratedAndVerifiedAsPublished() {
    for (JsonNode vector : VECTORS.get("consistency")) {
      int from = vector.get("fromSize").asInt();
      int to = vector.get("toSize").asInt();
      List<Hash32> expected = Vectors.hashes(vector.get("path"));
      MerkleTree tree = MerkleTree.ofLeafData(leaves(to));
      assertEquals(expected, tree.consistencyProof(from).path(), "generate " + from + "->" + to);
      ProofCheck check = MerkleVerifier.verifyConsistency(from, to, expected, root(from), root(to));
      assertTrue(check.valid(), check.reason());
    }
  }

  @Test
  void rootMismatchReportsGotAndWant() {
    Hash32 leaf = MerkleTree.leafHash(leaves(1).get(0));
    ProofCheck check = MerkleVerifier.verifyInclusion(leaf, 0, 1, List.of(), root(2));
    assertFalse(check.valid());
    assertTrue(check.reason().contains(root(1).hex()) && check.reason().contains(root(2).hex()), check.reason());
  }
}

package io.chainseal.benchmarks;

import io.chainseal.core.Hash32;
import io.chainseal.core.InclusionProof;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MerkleVerifier;
import io.chainseal.core.ProofCheck;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Verifying one inclusion proof in a tree of 2^20 leaves (20 hashes on the path). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class VerifyBenchmark {
  static final int LEAVES = 1 << 20;
  private static final int PROOFS = 4096;

  private Hash32 root;
  private Hash32[] leaves;
  private InclusionProof[] proofs;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(20);
    byte[] packed = new byte[LEAVES * Hash32.LENGTH];
    random.nextBytes(packed);
    MerkleTree tree = MerkleTree.ofPackedLeafHashes(packed);
    root = tree.root();
    leaves = new Hash32[PROOFS];
    proofs = new InclusionProof[PROOFS];
    for (int i = 0; i < PROOFS; i++) {
      int index = random.nextInt(LEAVES);
      leaves[i] = tree.leafHash(index);
      proofs[i] = tree.inclusionProof(index);
    }
  }

  @Benchmark
  public ProofCheck verifyInclusionAt2To20() {
    int i = next++ & (PROOFS - 1);
    ProofCheck check = MerkleVerifier.verifyInclusion(leaves[i], proofs[i], root);
    if (!check.valid()) {
      throw new IllegalStateException(check.reason());
    }
    return check;
  }
}

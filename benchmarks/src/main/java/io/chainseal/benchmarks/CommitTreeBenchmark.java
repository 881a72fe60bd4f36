package io.chainseal.benchmarks;

import io.chainseal.core.BatchBuilder;
import io.chainseal.core.Committer;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch commit + tree over 1,000,000 envelopes of about 256 bytes, and, in the same run, raw
 * SHA-256 ({@link MessageDigest}) over the same canonical bytes. {@link CommitTreeRatio} measures the
 * two alternately in one JVM for their ratio. Scores are messages per second;
 * every benchmark runs on one thread except {@link #commitAndBuildTreeTwoThreads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
// AlwaysPreTouch: every batch allocates its tree afresh (64 bytes per message), and until the first
// collection recycles regions that memory is touched for the first time — a page fault per 4 KiB,
// which made single iterations swing between 1.8 and 2.9 M messages/s. A server's heap in steady
// state is touched already; so is this one. See docs/performance.md.
@Fork(value = 3, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class CommitTreeBenchmark {
  static final int MESSAGES = 1_000_000;

  private Corpus corpus;
  private MessageDigest sha256;
  private Committer committer;
  private byte[] packed;
  private BatchBuilder twoThreads;
  private List<MessageEnvelope> envelopes;
  private List<Salt> salts;

  @Setup
  public void setUp() throws Exception {
    corpus = new Corpus(MESSAGES);
    sha256 = MessageDigest.getInstance("SHA-256");
    committer = new Committer();
    packed = new byte[MESSAGES * Hash32.LENGTH];
    twoThreads = BatchBuilder.withThreads(2);
    envelopes = Arrays.asList(corpus.envelopes);
    salts = Arrays.asList(corpus.salts);
  }

  @TearDown
  public void tearDown() {
    twoThreads.close();
  }

  /** What an anchorer does per batch: commit every message, then build the batch tree. */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public Hash32 commitAndBuildTree() {
    return commitAll(committer, corpus, packed);
  }

  /**
   * The same batch on two threads ({@link BatchBuilder}): the commitments and each tree level in
   * slices at once. Its score over {@link #commitAndBuildTree}'s is the parallel speed-up; the roots
   * are equal (checked by BatchBuilderTest).
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public Hash32 commitAndBuildTreeTwoThreads() {
    return twoThreads.commitAndBuild(envelopes, salts).root();
  }

  /**
   * The same with each envelope built from its fields inside the timed region (validation, NFC
   * check and canonical encoding happen in {@code build()}), for the full cost from a host's data.
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public Hash32 buildCommitAndBuildTree() {
    for (int i = 0; i < MESSAGES; i++) {
      committer.commitInto(corpus.rebuild(i), corpus.salts[i], packed, i * Hash32.LENGTH);
    }
    return MerkleTree.ofPackedLeafHashes(packed).root();
  }

  /**
   * The floor: one SHA-256 over each message's canonical bytes, nothing else — the same arrays the
   * commitments read, in the same places in memory ({@link Corpus#inPlace}).
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public byte[] rawSha256() throws DigestException {
    return hashEach(sha256, corpus.inPlace, packed);
  }

  /**
   * The same hashing over copies of those bytes allocated one after another: about 25 ns per message
   * faster on this machine than {@link #rawSha256}, for memory layout alone (the copies lie
   * contiguously; each envelope's own bytes lie among its strings). Reported beside the floor so that
   * the layout's share is visible; the ratio is taken against {@link #rawSha256}, which reads what the
   * commitments read.
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public byte[] rawSha256OfContiguousCopies() throws DigestException {
    return hashEach(sha256, corpus.canonical, packed);
  }

  static byte[] hashEach(MessageDigest sha256, byte[][] messages, byte[] packed) throws DigestException {
    for (int i = 0; i < messages.length; i++) {
      sha256.update(messages[i]);
      sha256.digest(packed, i * Hash32.LENGTH, Hash32.LENGTH);
    }
    return packed;
  }

  static Hash32 commitAll(Committer committer, Corpus corpus, byte[] packed) {
    for (int i = 0; i < corpus.envelopes.length; i++) {
      committer.commitInto(corpus.envelopes[i], corpus.salts[i], packed, i * Hash32.LENGTH);
    }
    return MerkleTree.ofPackedLeafHashes(packed).root();
  }
}

package io.chainseal.core;

import io.chainseal.core.internal.TreeLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Commits a batch of messages and builds its Merkle tree on several threads: the commitments are
 * independent, and so is every node of a tree level, so a batch is cut into contiguous slices hashed
 * at once — one on the calling thread, the others on this builder's own threads. Roots and proofs
 * are exactly those of {@link MerkleTree#ofPackedLeafHashes} and {@link Committer}: only where each
 * hash is computed changes.
 *
 * <pre>{@code
 * try (BatchBuilder builder = BatchBuilder.withThreads(2)) {   // or usingAllCores()
 *   MerkleTree tree = builder.commitAndBuild(envelopes, salts);
 * }
 * }</pre>
 *
 * <p>Thread-safe: several threads may build batches with one builder at once (their slices then
 * share its threads). Small batches, or small top levels of a tree, are hashed on the calling thread
 * alone, where handing work out would cost more than it saves. {@link #close()} stops the threads; a
 * batch being built then, and any built later, finishes on the calling thread.
 */
public final class BatchBuilder implements AutoCloseable {
  /** Fewer messages per slice than this are committed on the calling thread. */
  static final int MIN_MESSAGES_PER_SLICE = 512;
  /** Fewer tree nodes per slice than this are hashed on the calling thread. */
  static final int MIN_NODES_PER_SLICE = 2_048;

  private final int threads;
  private final int minMessagesPerSlice;
  private final int minNodesPerSlice;
  private final @Nullable ExecutorService pool;

  BatchBuilder(int threads, int minMessagesPerSlice, int minNodesPerSlice) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    this.threads = threads;
    this.minMessagesPerSlice = minMessagesPerSlice;
    this.minNodesPerSlice = minNodesPerSlice;
    if (threads == 1) {
      this.pool = null;
    } else {
      AtomicInteger number = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(threads - 1, runnable -> {
        Thread thread = new Thread(runnable, "chainseal-batch-" + number.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
    }
  }

  /**
   * A builder that uses {@code threads} threads per batch: the caller's and {@code threads - 1} of
   * its own. A host caps Chainseal's share of the machine here; 1 builds on the calling thread only.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static BatchBuilder withThreads(int threads) {
    return new BatchBuilder(threads, MIN_MESSAGES_PER_SLICE, MIN_NODES_PER_SLICE);
  }

  /** A builder that uses every core the JVM sees ({@link Runtime#availableProcessors()}). */
  public static BatchBuilder usingAllCores() {
    return withThreads(Runtime.getRuntime().availableProcessors());
  }

  /** The threads a batch is built on, the caller's included. */
  public int threads() {
    return threads;
  }

  /**
   * The commitments of {@code envelopes[i]} under {@code salts[i]}, packed 32 bytes each in order: the
   * leaf hashes of the batch's tree.
   *
   * @throws IllegalArgumentException if the lists differ in size
   */
  public byte[] commit(List<MessageEnvelope> envelopes, List<Salt> salts) {
    Objects.requireNonNull(envelopes, "envelopes == null");
    Objects.requireNonNull(salts, "salts == null");
    if (envelopes.size() != salts.size()) {
      throw new IllegalArgumentException(envelopes.size() + " envelopes but " + salts.size() + " salts");
    }
    int count = envelopes.size();
    byte[] packed = new byte[Math.multiplyExact(count, Hash32.LENGTH)];
    int slices = Math.min(threads, Math.max(1, count / minMessagesPerSlice));
    if (slices == 1 || pool == null) {
      commitSlice(envelopes, salts, packed, 0, count);
      return packed;
    }
    int per = (count + slices - 1) / slices;
    List<CompletableFuture<Void>> others = new ArrayList<>(slices - 1);
    for (int slice = 1; slice < slices; slice++) {
      int from = slice * per;
      int to = Math.min(count, from + per);
      others.add(CompletableFuture.runAsync(() -> commitSlice(envelopes, salts, packed, from, to), running()));
    }
    commitSlice(envelopes, salts, packed, 0, Math.min(count, per));
    join(others);
    return packed;
  }

  /**
   * The tree over leaf hashes packed 32 bytes each (as {@link MerkleTree#ofPackedLeafHashes}, whose
   * tree it equals; the array is copied).
   *
   * @throws IllegalArgumentException if the length is not a positive multiple of 32 or too large
   */
  public MerkleTree tree(byte[] packedLeafHashes) {
    Objects.requireNonNull(packedLeafHashes, "packedLeafHashes == null");
    return build(packedLeafHashes.clone());
  }

  /**
   * Commits the batch and builds its tree: {@code tree(commit(envelopes, salts))} without the copy.
   *
   * @throws IllegalArgumentException if the lists are empty or differ in size
   */
  public MerkleTree commitAndBuild(List<MessageEnvelope> envelopes, List<Salt> salts) {
    return build(commit(envelopes, salts));
  }

  private MerkleTree build(byte[] packed) {
    if (packed.length % Hash32.LENGTH != 0 || packed.length == 0) {
      throw new IllegalArgumentException("length " + packed.length + " is not a positive multiple of 32");
    }
    int count = packed.length / Hash32.LENGTH;
    if (count > TreeLevels.MAX_LEAVES) {
      throw new IllegalArgumentException("at most " + TreeLevels.MAX_LEAVES + " leaves, got " + count);
    }
    TreeLevels levels = pool == null ? TreeLevels.bulk(packed, count)
        : TreeLevels.bulk(packed, count, running(), threads, minNodesPerSlice);
    return MerkleTree.ofLevels(levels);
  }

  /** The pool, or the calling thread for a slice the pool refuses because the builder was closed. */
  private Executor running() {
    ExecutorService p = Objects.requireNonNull(pool);
    return task -> {
      try {
        p.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  private static void commitSlice(List<MessageEnvelope> envelopes, List<Salt> salts, byte[] packed, int from, int to) {
    Committer committer = new Committer();
    for (int i = from; i < to; i++) {
      committer.commitInto(envelopes.get(i), salts.get(i), packed, i * Hash32.LENGTH);
    }
  }

  private static void join(List<CompletableFuture<Void>> slices) {
    try {
      CompletableFuture.allOf(slices.toArray(new CompletableFuture<?>[0])).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause; // a bad envelope or salt: the same exception the single-threaded path throws
      }
      throw e;
    }
  }

  /** Stops the builder's threads; batches being built, and any built later, finish on the calling thread. Idempotent. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }

  @Override
  public String toString() {
    return "BatchBuilder[threads=" + threads + "]";
  }
}

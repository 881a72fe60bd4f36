package io.chainseal.benchmarks;

import io.chainseal.core.Committer;
import io.chainseal.core.Hash32;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The commit + tree / raw SHA-256 ratio measured in pairs: each fresh JVM (a fork, with the JMH
 * benchmark's heap flags) builds the corpus, warms both loops up, then runs {@value #ROUNDS} rounds,
 * each timing the raw SHA-256 of every envelope's bytes and the commit + tree of the same envelopes
 * back to back (in alternating order). A round's ratio compares two timings seconds apart in the same
 * JVM, so a neighbour's load or a slower moment of the machine weighs on both; JMH's medians come from
 * separate forks minutes apart, and their ratio moved by ±5 points between runs for that alone.
 *
 * <p>Run alone: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*"
 * io.chainseal.benchmarks.CommitTreeRatio}; {@link CoreBenchmarkReport} runs it after JMH.
 */
public final class CommitTreeRatio {
  static final int FORKS = 3;
  static final int ROUNDS = 10;
  private static final String FORK_FLAG = "--fork";

  private CommitTreeRatio() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals(FORK_FLAG)) {
      measureHere();
    } else {
      report(measure());
    }
  }

  /** The ratio of every round of every fork, fork by fork. */
  static List<double[]> measure() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<double[]> forks = new ArrayList<>();
    for (int f = 0; f < FORKS; f++) {
      Process child = new ProcessBuilder(java, "-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-cp",
          System.getProperty("java.class.path"), CommitTreeRatio.class.getName(), FORK_FLAG)
          .redirectErrorStream(true).start();
      List<Double> ratios = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          System.out.println("  fork " + (f + 1) + ": " + line);
          if (line.startsWith("ROUND\t")) {
            ratios.add(Double.parseDouble(line.split("\t")[1]));
          }
        }
      }
      if (child.waitFor() != 0 || ratios.size() != ROUNDS) {
        throw new IllegalStateException("fork " + (f + 1) + " failed (exit " + child.exitValue() + ", " + ratios.size() + " rounds)");
      }
      forks.add(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return forks;
  }

  static void report(List<double[]> forks) {
    double[] medians = forks.stream().mapToDouble(CoreBenchmarkReport::median).toArray();
    double[] all = forks.stream().flatMapToDouble(Arrays::stream).toArray();
    double median = CoreBenchmarkReport.median(medians);
    String note = String.format(Locale.ROOT, "median of %d forks of %d paired rounds; forks [%.1f, %.1f], rounds [%.1f, %.1f]; target >= 60",
        forks.size(), ROUNDS, Arrays.stream(medians).min().orElse(Double.NaN), Arrays.stream(medians).max().orElse(Double.NaN),
        Arrays.stream(all).min().orElse(Double.NaN), Arrays.stream(all).max().orElse(Double.NaN));
    System.out.printf(Locale.ROOT, "  ratio commit+tree / raw, paired %.1f %% (%s)%n", median, note);
    Figures.report("core: commit + tree / raw SHA-256, paired rounds", median, "%", note);
  }

  private static void measureHere() throws Exception {
    Corpus corpus = new Corpus(CommitTreeBenchmark.MESSAGES);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    Committer committer = new Committer();
    byte[] packed = new byte[CommitTreeBenchmark.MESSAGES * Hash32.LENGTH];
    long sink = 0;
    for (int warm = 0; warm < 5; warm++) {
      sink += raw(corpus, sha256, packed) + commitTree(corpus, committer, packed);
    }
    for (int round = 0; round < ROUNDS; round++) {
      // Alternating order, so that neither loop always runs first (warmer caches, a calmer moment).
      long raw = 0;
      long commitTree = 0;
      for (int turn = 0; turn < 2; turn++) {
        boolean rawTurn = (round + turn) % 2 == 0;
        long start = System.nanoTime();
        sink += rawTurn ? raw(corpus, sha256, packed) + raw(corpus, sha256, packed)
            : commitTree(corpus, committer, packed) + commitTree(corpus, committer, packed);
        long elapsed = System.nanoTime() - start;
        if (rawTurn) {
          raw = elapsed;
        } else {
          commitTree = elapsed;
        }
      }
      double perMessage = 2.0 * CommitTreeBenchmark.MESSAGES;
      System.out.printf(Locale.ROOT, "ROUND\t%.2f\traw %.1f ns/msg\tcommit+tree %.1f ns/msg%n", 100.0 * raw / commitTree,
          raw / perMessage, commitTree / perMessage);
    }
    System.out.println("(checksum " + (sink & 0xff) + ")");
  }

  private static long raw(Corpus corpus, MessageDigest sha256, byte[] packed) throws Exception {
    return CommitTreeBenchmark.hashEach(sha256, corpus.inPlace, packed)[7];
  }

  private static long commitTree(Corpus corpus, Committer committer, byte[] packed) {
    return CommitTreeBenchmark.commitAll(committer, corpus, packed).bytes()[0];
  }
}

package io.chainseal.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the core benchmarks in one go and prints the figures docs/performance.md records: the median
 * over forks (each fork a fresh JVM) with the lowest and highest fork beside it, and the ratios
 * measured in the same run, fork by fork: {@code java -jar benchmarks/target/benchmarks.jar}. Any JMH
 * arguments instead run JMH's own command line (e.g. {@code -l} to list benchmarks).
 */
public final class CoreBenchmarkReport {
  private CoreBenchmarkReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    Options options = new OptionsBuilder()
        .include(CommitTreeBenchmark.class.getSimpleName())
        .include(VerifyBenchmark.class.getSimpleName())
        .threads(1)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    double[] commitTree = forks(results, "commitAndBuildTree");
    double[] twoThreads = forks(results, "commitAndBuildTreeTwoThreads");
    double[] raw = forks(results, "rawSha256");
    double[] rawCopies = forks(results, "rawSha256OfContiguousCopies");
    double[] fromFields = forks(results, "buildCommitAndBuildTree");
    double[] verify = forks(results, "verifyInclusionAt2To20");
    double[] ratio = ratios(commitTree, raw, 100);
    double[] speedUp = ratios(twoThreads, commitTree, 1);
    double[] fromFieldsRatio = ratios(fromFields, raw, 100);
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.println();
    System.out.printf("Chainseal core benchmark: %d forks each, median [lowest fork, highest fork]; one thread unless named%n",
        commitTree.length);
    System.out.printf("  envelope canonical size        %.0f bytes (average)%n", new Corpus(10_000).averageCanonicalBytes());
    System.out.printf("  commit + tree, 1,000,000 msgs  %s messages/s%n", spread(commitTree, "%,.0f"));
    System.out.printf("  raw SHA-256, same bytes        %s messages/s%n", spread(raw, "%,.0f"));
    System.out.printf("  raw SHA-256, contiguous copies %s messages/s%n", spread(rawCopies, "%,.0f"));
    double ratioOfMedians = 100 * median(commitTree) / median(raw);
    System.out.printf("  ratio commit+tree / raw        %.1f %% (of the medians; fork by fork %s)%n", ratioOfMedians, note(ratio, "%.1f"));
    System.out.printf("  commit + tree, two threads     %s messages/s%n", spread(twoThreads, "%,.0f"));
    System.out.printf("  speed-up, two threads / one    %s x (%d cores seen)%n", spread(speedUp, "%.2f"), cores);
    System.out.printf("  build envelope + commit + tree %s messages/s (%s %% of raw)%n", spread(fromFields, "%,.0f"),
        spread(fromFieldsRatio, "%.1f"));
    System.out.printf("  verify inclusion at 2^20       %s us/proof%n", spread(verify, "%.2f"));
    Figures.report("core: commit + tree, one thread", median(commitTree), "msg/s", note(commitTree, "%,.0f"));
    Figures.report("core: raw SHA-256 of the same bytes", median(raw), "msg/s", note(raw, "%,.0f"));
    Figures.report("core: raw SHA-256 of contiguous copies of those bytes", median(rawCopies), "msg/s", note(rawCopies, "%,.0f")
        + "; memory layout's share of the floor");
    Figures.report("core: commit + tree / raw SHA-256, JMH", ratioOfMedians, "%", "of the JMH medians; fork by fork "
        + note(ratio, "%.1f"));
    Figures.report("core: commit + tree, two threads", median(twoThreads), "msg/s", note(twoThreads, "%,.0f"));
    Figures.report("core: two threads / one thread", median(speedUp), "x", note(speedUp, "%.2f") + "; " + cores
        + " cores; target >= 1.8 on 2");
    Figures.report("core: verify an inclusion proof at 2^20", median(verify), "us", note(verify, "%.2f"));
    System.out.println();
    System.out.println("Commit + tree / raw SHA-256 in paired rounds (CommitTreeRatio):");
    CommitTreeRatio.report(CommitTreeRatio.measure());
  }

  /** The primary score of each fork of {@code method}. */
  private static double[] forks(Collection<RunResult> results, String method) {
    for (RunResult result : results) {
      if (result.getParams().getBenchmark().endsWith("." + method)) {
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
          scores.add(fork.getPrimaryResult().getScore());
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
      }
    }
    throw new IllegalStateException("no result for " + method);
  }

  /** Fork i of {@code a} over fork i of {@code b} (forks of one run pair up in order), times {@code scale}. */
  private static double[] ratios(double[] a, double[] b, double scale) {
    int n = Math.min(a.length, b.length);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = scale * a[i] / b[i];
    }
    return out;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String spread(double[] values, String format) {
    return String.format(Locale.ROOT, format, median(values)) + " " + note(values, format);
  }

  private static String note(double[] values, String format) {
    double min = java.util.Arrays.stream(values).min().orElse(Double.NaN);
    double max = java.util.Arrays.stream(values).max().orElse(Double.NaN);
    return "[" + String.format(Locale.ROOT, format, min) + ", " + String.format(Locale.ROOT, format, max) + "] over "
        + values.length + " forks";
  }
}

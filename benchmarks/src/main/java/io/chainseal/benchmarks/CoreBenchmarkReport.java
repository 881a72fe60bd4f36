package io.chainseal.benchmarks;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the core benchmarks in one go and prints the figures docs/performance.md records, with the
 * ratios measured in the same run: {@code java -jar benchmarks/target/benchmarks.jar}. Any JMH
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
    double commitTree = score(results, "commitAndBuildTree");
    double raw = score(results, "rawSha256");
    double fromFields = score(results, "buildCommitAndBuildTree");
    double verify = score(results, "verifyInclusionAt2To20");
    System.out.println();
    System.out.println("Chainseal core benchmark (one thread)");
    System.out.printf("  envelope canonical size        %.0f bytes (average)%n", new Corpus(10_000).averageCanonicalBytes());
    System.out.printf("  commit + tree, 1,000,000 msgs  %,.0f messages/s%n", commitTree);
    System.out.printf("  raw SHA-256, same bytes        %,.0f messages/s%n", raw);
    System.out.printf("  ratio commit+tree / raw        %.1f %%%n", 100 * commitTree / raw);
    System.out.printf("  build envelope + commit + tree %,.0f messages/s (%.1f %% of raw)%n", fromFields, 100 * fromFields / raw);
    System.out.printf("  verify inclusion at 2^20       %.2f us/proof%n", verify);
  }

  private static double score(Collection<RunResult> results, String method) {
    for (RunResult result : results) {
      if (result.getParams().getBenchmark().endsWith("." + method)) {
        return result.getPrimaryResult().getScore();
      }
    }
    throw new IllegalStateException("no result for " + method);
  }
}

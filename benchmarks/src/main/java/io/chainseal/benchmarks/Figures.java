package io.chainseal.benchmarks;

import java.util.Locale;

/**
 * The figures a benchmark reports for {@code ./run bench}'s table: one line each,
 * {@code BENCH<TAB>figure<TAB>value<TAB>unit<TAB>note}, printed after the benchmark's own output.
 */
final class Figures {
  private Figures() {}

  /** Reports {@code value} (printed with up to 2 decimals, grouped) under {@code figure}. */
  static void report(String figure, double value, String unit, String note) {
    String number = Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.2f", value);
    System.out.println("BENCH\t" + figure + "\t" + number + "\t" + unit + "\t" + note);
  }
}
